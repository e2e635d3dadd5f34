# Reference values for tests/frequency, computed independently of statsmodels with R.
# Run from this folder:  Rscript make_reference.R   (writes reference_values.csv)
# Data: the SYNTHETIC csv files written by make_synthetic.py (not real incident data).
# R 4.x with MASS (glm.nb), pscl (zeroinfl) and actuar (cm).
suppressPackageStartupMessages({library(MASS); library(pscl); library(actuar)})
out <- data.frame(case = character(), quantity = character(), value = numeric())
put <- function(case, quantity, value) {
  out <<- rbind(out, data.frame(case = case, quantity = quantity, value = unname(value)))
}
put_vec <- function(case, prefix, v, names) {
  for (i in seq_along(v)) put(case, paste0(prefix, names[i]), v[i])
}
ctl <- glm.control(epsilon = 1e-14, maxit = 200)

# --- 1. annual counts with exposure offset and log-linear trend -------------------------
annual <- read.csv("synthetic_annual.csv")
annual$t <- annual$period - min(annual$period)
m <- glm(count ~ t + offset(log(exposure)), family = poisson, data = annual, control = ctl)
put_vec("annual_poisson", "coef:", coef(m), c("const", "trend"))
put_vec("annual_poisson", "se:", sqrt(diag(vcov(m))), c("const", "trend"))
put("annual_poisson", "loglik", as.numeric(logLik(m)))
put("annual_poisson", "pearson_chi2", sum(residuals(m, type = "pearson")^2))
# Linear predictor and its standard error for 2025 with exposure 200 (predictive tests)
p <- predict(m, newdata = data.frame(t = 2025 - min(annual$period), exposure = 200),
             type = "link", se.fit = TRUE)
put("annual_poisson", "eta_2025_e200", p$fit)
put("annual_poisson", "se_eta_2025_e200", p$se.fit)

nb <- glm.nb(count ~ t + offset(log(exposure)), data = annual, control = ctl)
put_vec("annual_negbin", "coef:", coef(nb), c("const", "trend"))
put("annual_negbin", "theta", nb$theta)
put("annual_negbin", "alpha", 1 / nb$theta)
put("annual_negbin", "loglik", as.numeric(logLik(nb)))
put("annual_negbin", "lr_stat", 2 * (as.numeric(logLik(nb)) - as.numeric(logLik(m))))
# Joint observed-information standard errors of (beta, alpha), analytic NB2 Hessian:
X <- model.matrix(nb); y <- annual$count; mu <- fitted(nb); a <- 1 / nb$theta; th <- nb$theta
h_ee <- -mu * (1 + a * y) / (1 + a * mu)^2
h_ea <- -mu * (y - mu) / (1 + a * mu)^2
s_th <- digamma(y + th) - digamma(th) + log(th) + 1 - log(th + mu) - (y + th) / (th + mu)
h_th <- trigamma(y + th) - trigamma(th) + 1 / th - 2 / (th + mu) + (y + th) / (th + mu)^2
h_aa <- sum(h_th * th^4 + s_th * 2 * th^3)
H <- rbind(cbind(t(X) %*% (h_ee * X), t(X) %*% h_ea), c(t(h_ea) %*% X, h_aa))
put_vec("annual_negbin", "se:", sqrt(diag(solve(-H))), c("const", "trend", "alpha"))

# --- 2. year x category: covariates and per-period effects -------------------------------
grouped <- read.csv("synthetic_grouped.csv")
grouped$t <- grouped$period - min(grouped$period)
g1 <- glm(count ~ t + category, family = poisson, data = grouped, control = ctl)
put_vec("grouped_linear", "coef:", coef(g1),
        c("const", "trend", "category[defi]", "category[exchange]"))
put_vec("grouped_linear", "se:", sqrt(diag(vcov(g1))),
        c("const", "trend", "category[defi]", "category[exchange]"))
put("grouped_linear", "loglik", as.numeric(logLik(g1)))
g2 <- glm(count ~ factor(period) + category, family = poisson, data = grouped, control = ctl)
nm <- c("const", paste0("period[", 2016:2024, "]"), "category[defi]", "category[exchange]")
put_vec("grouped_period", "coef:", coef(g2), nm)
put_vec("grouped_period", "se:", sqrt(diag(vcov(g2))), nm)
put("grouped_period", "loglik", as.numeric(logLik(g2)))

# --- 3. zero-inflated Poisson / NB2 with constant inflation --------------------------------
zi <- read.csv("synthetic_zeroinfl.csv")
zctl <- zeroinfl.control(method = "BFGS", reltol = 1e-15, maxit = 100000)
z1 <- zeroinfl(count ~ period | 1, data = zi, dist = "poisson", control = zctl)
put_vec("zip", "coef:", c(coef(z1)), c("const", "trend", "inflate_const"))
# pscl's vcov comes from optim's default-step numerical Hessian, too coarse for a covariate
# running 0..119; the SEs are recomputed from the observed information of the likelihood
# written out below, differentiated with small steps at pscl's estimates.
y0 <- zi$count == 0; Xzi <- cbind(1, zi$period)
ll_zi <- function(par, negbin) {
  k <- ncol(Xzi); mu <- exp(drop(Xzi %*% par[1:k])); p <- plogis(par[length(par)])
  if (negbin) { th <- 1 / par[k + 1]; f0 <- (th / (th + mu))^th
                fy <- dnbinom(zi$count, size = th, mu = mu, log = TRUE) }
  else { f0 <- exp(-mu); fy <- dpois(zi$count, mu, log = TRUE) }
  sum(ifelse(y0, log(p + (1 - p) * f0), log(1 - p) + fy))
}
obs_se <- function(par, negbin) {
  H <- optimHess(par, function(b) -ll_zi(b, negbin),
                 control = list(ndeps = 1e-5 * pmax(abs(par), 1e-3)))
  sqrt(diag(solve(H)))
}
put_vec("zip", "se:", obs_se(coef(z1), FALSE), c("const", "trend", "inflate_const"))
put("zip", "loglik", as.numeric(logLik(z1)))
z2 <- zeroinfl(count ~ period | 1, data = zi, dist = "negbin", control = zctl)
put_vec("zinb", "coef:", c(coef(z2)), c("const", "trend", "inflate_const"))
put("zinb", "alpha", 1 / z2$theta)
par2 <- c(coef(z2)[1:2], 1 / z2$theta, coef(z2)[3])
put_vec("zinb", "se:", obs_se(par2, TRUE), c("const", "trend", "alpha", "inflate_const"))
put("zinb", "loglik", as.numeric(logLik(z2)))

# --- 4. zero-truncated Poisson: direct maximum likelihood with optim -----------------------
zt <- read.csv("synthetic_ztp.csv")
Xz <- cbind(1, zt$x); yz <- zt$count
nll <- function(b) { mu <- exp(drop(Xz %*% b)); -sum(dpois(yz, mu, log = TRUE) - log(-expm1(-mu))) }
gr <- function(b) { mu <- exp(drop(Xz %*% b)); -drop(t(Xz) %*% (yz - mu - mu * exp(-mu) / -expm1(-mu))) }
o <- optim(c(0, 0), nll, gr, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
for (i in 1:20) {  # Newton polish on the analytic gradient
  Hn <- optimHess(o$par, nll, gr); o$par <- o$par - solve(Hn, gr(o$par))
}
put_vec("ztpoisson", "coef:", o$par, c("const", "x"))
put_vec("ztpoisson", "se:", sqrt(diag(solve(optimHess(o$par, nll, gr)))), c("const", "x"))
put("ztpoisson", "loglik", -nll(o$par))

# --- 5. exact Garwood intervals ---------------------------------------------------------
xs <- c(0, 1, 3, 17, 250); Ts <- c(12.5, 3, 10, 40.2, 1000)
for (i in seq_along(xs)) {
  ci <- poisson.test(xs[i], Ts[i], conf.level = 0.9)$conf.int
  put("garwood90", sprintf("lower:%g:%g", xs[i], Ts[i]), ci[1])
  put("garwood90", sprintf("upper:%g:%g", xs[i], Ts[i]), ci[2])
}

# --- 6. Buhlmann-Straub (actuar::cm, unbiased estimators) ---------------------------------
cr <- read.csv("synthetic_credibility.csv")
cr$ratio <- cr$count / cr$exposure
w <- reshape(cr[, c("design", "period", "ratio", "exposure")], idvar = "design",
             timevar = "period", direction = "wide")
w <- w[order(w$design), ]
rc <- grep("^ratio", names(w)); wc <- grep("^exposure", names(w))
bs2 <- cm(~design, data = w, ratios = rc, weights = wc, method = "Ohlsson")
put("buhlmann_straub", "collective", bs2$means$portfolio)  # credibility-weighted mean
put("buhlmann_straub", "epv", bs2$unbiased[["design"]])   # within-group variance s^2
put("buhlmann_straub", "vhm", bs2$unbiased[["portfolio"]])  # between-group variance a
put_vec("buhlmann_straub", "Z:", bs2$cred, w$design)
put_vec("buhlmann_straub", "premium:", predict(bs2), w$design)

# --- 7. monthly clustering: chi-square of each year's months against uniform ----------------
mo <- read.csv("synthetic_monthly.csv")
mo$year <- as.integer(substr(mo$period, 1, 4))
st <- 0; df <- 0
for (yr in unique(mo$year)) {
  x <- mo$count[mo$year == yr]
  if (sum(x) > 0) {
    ct <- suppressWarnings(chisq.test(x, p = rep(1 / length(x), length(x))))
    st <- st + ct$statistic; df <- df + ct$parameter
  }
}
put("monthly_within_year", "statistic", st)
put("monthly_within_year", "df", df)
put("monthly_within_year", "pvalue", pchisq(st, df, lower.tail = FALSE))

out$value <- sprintf("%.17g", out$value)
write.csv(out, "reference_values.csv", row.names = FALSE, quote = FALSE)
