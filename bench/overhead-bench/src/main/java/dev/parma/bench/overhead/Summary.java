package dev.parma.bench.overhead;

import java.util.List;

/**
 * Mean, sample standard deviation and the half-width of the two-sided 95% confidence interval of the mean (Student's
 * t with n − 1 degrees of freedom) of a sample. With fewer than two values the spread is unknown: NaN.
 */
public record Summary(int n, double mean, double stddev, double ci95) {

    /** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    public static Summary of(List<Double> xs) {
        int n = xs.size();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = xs.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new Summary(n, mean, sd, t95(n - 1) * sd / Math.sqrt(n));
    }

    /** Student's t quantile for a two-sided 95% interval; beyond 30 degrees of freedom 1.96 + 2.4/df (±0.003). */
    static double t95(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        return df <= T95.length ? T95[df - 1] : 1.96 + 2.4 / df;
    }

    public double low() {
        return mean - ci95;
    }

    public double high() {
        return mean + ci95;
    }

    /** This summary with every value multiplied by {@code k} (e.g. seconds to milliseconds). */
    public Summary times(double k) {
        return new Summary(n, mean * k, stddev * Math.abs(k), ci95 * Math.abs(k));
    }
}
