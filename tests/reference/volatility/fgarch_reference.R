# Frozen reference for tests/volatility/test_reference.py: GARCH(1,1) with standardised
# Student-t shocks fitted by R's fGarch to garch11_t_series.csv.
# Run from this folder:  Rscript fgarch_reference.R  > writes fgarch_garch11_t.csv
# fGarch's default init.rec = "mci" starts the variance recursion at mean((y - mu)^2);
# the Python test passes backcast = var(y) to arch, the same start up to (mean(y) - mu)^2.
suppressPackageStartupMessages(library(fGarch))
y <- read.csv("garch11_t_series.csv")$y
fit <- garchFit(~ garch(1, 1), data = y, cond.dist = "std", include.mean = TRUE,
                trace = FALSE)
cf <- coef(fit)
out <- data.frame(
  name = c("mu", "omega", "alpha[1]", "beta[1]", "nu", "loglik"),
  value = c(cf[["mu"]], cf[["omega"]], cf[["alpha1"]], cf[["beta1"]], cf[["shape"]],
            -fit@fit$llh)
)
write.csv(out, "fgarch_garch11_t.csv", row.names = FALSE)
cat(sprintf("# R %s, fGarch %s\n", getRversion(), packageVersion("fGarch")))
print(out, digits = 12)
