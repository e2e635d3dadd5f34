"""Write the synthetic reference series garch11_t_series.csv (run once; numpy only).

GARCH(1,1) with standardised Student-t(6) shocks, mu = 0.05, omega = 0.1, alpha = 0.1,
beta = 0.85, 2000 observations after a 500-step burn-in, seed 20240601.
"""

import numpy as np

rng = np.random.default_rng(20240601)
nu, mu, omega, alpha, beta = 6.0, 0.05, 0.1, 0.1, 0.85
n, burn = 2000, 500
z = rng.standard_t(nu, size=n + burn) * np.sqrt((nu - 2) / nu)
s2, eps, out = omega / (1 - alpha - beta), 0.0, []
for t in range(n + burn):
    s2 = omega + alpha * eps**2 + beta * s2
    eps = np.sqrt(s2) * z[t]
    out.append(mu + eps)
np.savetxt("garch11_t_series.csv", np.array(out[burn:]), fmt="%.12f", header="y", comments="")
