package dev.parma.bench.overhead;

import java.util.List;

/**
 * A sample's mean, sample standard deviation and two-sided 95% confidence interval of the mean ({@code low} to
 * {@code high}, Student's t with n − 1 degrees of freedom). With fewer than two values the spread is unknown: NaN.
 */
public record Summary(int n, double mean, double stddev, double low, double high) {

    /** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /** Arithmetic mean, with the symmetric interval mean ± t · s / √n. */
    public static Summary of(List<Double> xs) {
        int n = xs.size();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = xs.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double sd = stddev(xs, mean);
        double half = t95(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    /**
     * Geometric mean of positive ratios, with the interval taken on their logarithms: a pair at 2× and a pair at 0.5×
     * average to 1×, not 1.25×, so a ratio and its inverse tell the same story. {@code stddev} is that of the ratios.
     */
    public static Summary geometric(List<Double> ratios) {
        if (ratios.stream().anyMatch(r -> !(r > 0))) {
            throw new IllegalArgumentException("ratios must be positive: " + ratios);
        }
        Summary logs = of(ratios.stream().map(Math::log).toList());
        double sd = ratios.size() < 2
                ? Double.NaN
                : stddev(ratios, ratios.stream().mapToDouble(d -> d).average()
                        .orElse(Double.NaN));
        return new Summary(logs.n, Math.exp(logs.mean), sd, Math.exp(logs.low), Math.exp(logs.high));
    }

    private static double stddev(List<Double> xs, double mean) {
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (xs.size() - 1));
    }

    /** Student's t quantile for a two-sided 95% interval; beyond 30 degrees of freedom 1.96 + 2.4/df (±0.003). */
    static double t95(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        return df <= T95.length ? T95[df - 1] : 1.96 + 2.4 / df;
    }

    /** Half the interval's width (for a symmetric interval, the ± value). */
    public double ci95() {
        return (high - low) / 2;
    }

    /** Whether the interval is mean ± something (false for geometric means). */
    public boolean symmetric() {
        return Math.abs((high - mean) - (mean - low)) <= 1e-9 * Math.max(1, Math.abs(mean));
    }

    /** This summary with every value multiplied by {@code k} (e.g. seconds to milliseconds). */
    public Summary times(double k) {
        return k >= 0
                ? new Summary(n, mean * k, stddev * k, low * k, high * k)
                : new Summary(n, mean * k, -stddev * k, high * k, low * k);
    }
}
