# Reference maximum-likelihood fits for actuarial.severity, computed once with R.
#   Rscript tests/reference/severity/fit_reference.R   (from the repository root)
# Writes tests/reference/severity/r_fits.csv. The test suite only reads that file.
# Packages: fitdistrplus (fitdist, fitdistcens machinery), actuar (Pareto, Burr, ...), evd (GPD).
# Truncation is handled by writing the truncated density f(x) / (1 - F(t)) in R, as
# actuar/fitdistrplus documentation recommends; the losses are in millions of USD-like units.
suppressPackageStartupMessages({library(fitdistrplus); library(actuar); library(evd)})
dir <- "tests/reference/severity"
xa <- read.csv(file.path(dir, "sample_untruncated.csv"))$loss
xb <- read.csv(file.path(dir, "sample_truncated.csv"))$loss
cc <- read.csv(file.path(dir, "sample_censored.csv"))
T0 <- 0.5
ctrl <- list(reltol = 1e-15, maxit = 50000)

# name, R density name, start, scipy-name mapping
fams <- list(
  lognormal   = list(d = "lnorm",    start = list(meanlog = 0, sdlog = 1)),
  gamma       = list(d = "gamma",    start = list(shape = 1, rate = 1)),
  weibull     = list(d = "weibull",  start = list(shape = 1, scale = 1)),
  lomax       = list(d = "pareto",   start = list(shape = 3, scale = 3)),
  burr12      = list(d = "burr",     start = list(shape1 = 1.5, shape2 = 1.5, scale = 1.5)),
  loglogistic = list(d = "llogis",   start = list(shape = 1.5, scale = 1)),
  invgamma    = list(d = "invgamma", start = list(shape = 1.5, scale = 1))
)

# truncated density / cdf at T0 for any base name (defined in the global environment so
# that fitdist finds d<name>, p<name>)
make_trunc <- function(base, argn) {
  d <- get(paste0("d", base)); p <- get(paste0("p", base))
  blank <- setNames(rep(alist(x = )[1], length(argn)), argn)
  fd <- function(x) {
    a <- mget(argn, envir = environment())
    do.call(d, c(list(x), a)) / do.call(p, c(list(T0), a, list(lower.tail = FALSE)))
  }
  formals(fd) <- c(alist(x = ), blank)
  fp <- function(q) {
    a <- mget(argn, envir = environment())
    (do.call(p, c(list(q), a)) - do.call(p, c(list(T0), a))) /
      do.call(p, c(list(T0), a, list(lower.tail = FALSE)))
  }
  formals(fp) <- c(alist(q = ), blank)
  assign(paste0("dt", base), fd, envir = globalenv())
  assign(paste0("pt", base), fp, envir = globalenv())
}

to_scipy <- function(fam, est) {
  switch(fam,
    lognormal = c(s = est[["sdlog"]], scale = exp(est[["meanlog"]])),
    gamma = c(a = est[["shape"]], scale = 1 / est[["rate"]]),
    weibull = c(c = est[["shape"]], scale = est[["scale"]]),
    lomax = c(c = est[["shape"]], scale = est[["scale"]]),
    burr12 = c(c = est[["shape2"]], d = est[["shape1"]], scale = est[["scale"]]),
    loglogistic = c(c = est[["shape"]], scale = est[["scale"]]),
    invgamma = c(a = est[["shape"]], scale = est[["scale"]]))
}

rows <- list()
add <- function(case, fam, est, sd, loglik, call) {
  for (nm in names(est)) rows[[length(rows) + 1]] <<- data.frame(
    case = case, family = fam, param = nm, estimate = sprintf("%.15g", est[[nm]]),
    std_err = sprintf("%.15g", ifelse(is.null(sd) || is.na(sd[nm]), NA, sd[nm])),
    loglik = sprintf("%.15g", loglik), call = call)
}

for (fam in names(fams)) {
  f <- fams[[fam]]
  # untruncated: fitdist on the plain density
  fa <- fitdist(xa, f$d, start = f$start, control = ctrl)
  # standard errors of the scipy parameters (delta method where the mapping is not identity)
  est <- to_scipy(fam, fa$estimate)
  sd <- to_scipy(fam, fa$sd)
  if (fam == "lognormal") sd[["scale"]] <- est[["scale"]] * fa$sd[["meanlog"]]
  if (fam == "gamma") sd[["scale"]] <- fa$sd[["rate"]] / fa$estimate[["rate"]]^2
  add("untruncated", fam, est, sd, fa$loglik,
      sprintf("fitdist(x, '%s', start=..., control=list(reltol=1e-15))", f$d))
  # truncated at T0: fitdist on the truncated density
  make_trunc(f$d, names(f$start))
  fb <- fitdist(xb, paste0("t", f$d), start = as.list(fa$estimate), control = ctrl)
  est <- to_scipy(fam, fb$estimate)
  sd <- to_scipy(fam, fb$sd)
  if (fam == "lognormal") sd[["scale"]] <- est[["scale"]] * fb$sd[["meanlog"]]
  if (fam == "gamma") sd[["scale"]] <- fb$sd[["rate"]] / fb$estimate[["rate"]]^2
  add("truncated", fam, est, sd, fb$loglik,
      sprintf("fitdist(x, 't%s', ...) with dt%s = d%s(x)/p%s(0.5, lower.tail=FALSE)",
              f$d, f$d, f$d, f$d))
}

# single-parameter Pareto: min fixed (smallest loss untruncated; the truncation point)
pa <- fitdist(xa, "pareto1", start = list(shape = 1), fix.arg = list(min = min(xa)),
              control = ctrl, method = "mle", optim.method = "BFGS")
add("untruncated", "pareto", c(b = pa$estimate[["shape"]]), c(b = pa$sd[["shape"]]),
    pa$loglik, "fitdist(x, 'pareto1', fix.arg=list(min=min(x)))")
pb <- fitdist(xb, "pareto1", start = list(shape = 1), fix.arg = list(min = T0),
              control = ctrl, optim.method = "BFGS")
add("truncated", "pareto", c(b = pb$estimate[["shape"]]), c(b = pb$sd[["shape"]]),
    pb$loglik, "fitdist(x, 'pareto1', fix.arg=list(min=0.5))")

# GPD (evd::dgpd): loc fixed at 0 (untruncated) and at T0 (truncated)
for (case in c("untruncated", "truncated")) {
  x <- if (case == "untruncated") xa else xb
  loc <- if (case == "untruncated") 0 else T0
  g <- fitdist(x, "gpd", start = list(scale = 1, shape = 0.2), fix.arg = list(loc = loc),
               control = ctrl)
  add(case, "gpd", c(c = g$estimate[["shape"]], scale = g$estimate[["scale"]]),
      c(c = g$sd[["shape"]], scale = g$sd[["scale"]]), g$loglik,
      sprintf("fitdist(x, 'gpd', fix.arg=list(loc=%g))", loc))
}

# per-loss truncation and right censoring: the likelihood written out and maximised by optim
cens_fit <- function(fam, dfun, pfun, start, map) {
  nll <- function(th) {
    p <- as.list(map(th))
    lp <- ifelse(cc$censored == 1,
                 do.call(pfun, c(list(cc$loss), p, lower.tail = FALSE, log.p = TRUE)),
                 do.call(dfun, c(list(cc$loss), p, log = TRUE)))
    lt <- ifelse(cc$truncation > 0,
                 do.call(pfun, c(list(cc$truncation), p, lower.tail = FALSE, log.p = TRUE)), 0)
    -sum(lp - lt)
  }
  o <- optim(start, nll, method = "Nelder-Mead", control = ctrl)
  o <- optim(o$par, nll, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000),
             hessian = TRUE)
  list(par = o$par, loglik = -o$value, hess = o$hessian)
}
lc <- cens_fit("lognormal", dlnorm, plnorm, c(0, 1),
               function(th) list(meanlog = th[1], sdlog = th[2]))
add("censored", "lognormal", c(s = lc$par[2], scale = exp(lc$par[1])), NULL, lc$loglik,
    "optim on sum(log f or log S) - log S(t) with dlnorm/plnorm")
bc <- cens_fit("burr12", dburr, pburr, c(1.5, 1.5, 1.5),
               function(th) list(shape1 = th[1], shape2 = th[2], scale = th[3]))
add("censored", "burr12", c(c = bc$par[2], d = bc$par[1], scale = bc$par[3]), NULL,
    bc$loglik, "optim on sum(log f or log S) - log S(t) with actuar dburr/pburr")

out <- do.call(rbind, rows)
write.csv(out, file.path(dir, "r_fits.csv"), row.names = FALSE)
cat(R.version.string, "| fitdistrplus", as.character(packageVersion("fitdistrplus")),
    "| actuar", as.character(packageVersion("actuar")), "| evd",
    as.character(packageVersion("evd")), "\n", file = file.path(dir, "r_versions.txt"))
