package dev.parma.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void meanSampleDeviationAndStudentInterval() {
        var s = Summary.of(List.of(1.0, 2.0, 3.0));
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isCloseTo(2.0, within(1e-12));
        assertThat(s.stddev()).isCloseTo(1.0, within(1e-12));
        // t(0.975, 2 df) = 4.303: half-width 4.303 · 1 / √3
        assertThat(s.ci95()).isCloseTo(4.303 / Math.sqrt(3), within(1e-9));
        assertThat(s.low()).isCloseTo(2.0 - s.ci95(), within(1e-12));
    }

    @Test
    void manyValuesApproachTheNormalQuantile() {
        assertThat(Summary.t95(30)).isEqualTo(2.042);
        assertThat(Summary.t95(60)).isCloseTo(2.000, within(0.003));
        assertThat(Summary.t95(120)).isCloseTo(1.980, within(0.003));
        assertThatThrownBy(() -> Summary.t95(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneValueHasNoSpreadAndNoneHasNoMean() {
        assertThat(Summary.of(List.of(5.0)).mean()).isEqualTo(5.0);
        assertThat(Summary.of(List.of(5.0)).ci95()).isNaN();
        assertThat(Summary.of(List.of()).mean()).isNaN();
    }

    @Test
    void ratiosAverageGeometricallySoARatioAndItsInverseCancel() {
        var g = Summary.geometric(List.of(2.0, 0.5));
        assertThat(g.mean()).isCloseTo(1.0, within(1e-12));
        assertThat(Summary.of(List.of(2.0, 0.5)).mean()).isEqualTo(1.25); // what the arithmetic mean would say
        // the interval is symmetric on the log scale: low · high = mean²
        assertThat(g.low() * g.high()).isCloseTo(1.0, within(1e-9));
        assertThat(g.symmetric()).isFalse();
        assertThat(Summary.geometric(List.of(1.1, 1.1)).mean()).isCloseTo(1.1, within(1e-12));
        assertThatThrownBy(() -> Summary.geometric(List.of(1.0, 0.0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scalingKeepsTheIntervalNonNegative() {
        var s = Summary.of(List.of(1.0, 3.0)).times(-1000);
        assertThat(s.mean()).isEqualTo(-2000.0);
        assertThat(s.ci95()).isPositive();
        assertThat(s.low()).isLessThan(s.high());
        assertThat(s.symmetric()).isTrue();
    }
}
