//! A trend in one line of block characters: `▁▂▃▄▅▆▇█`.

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One block per value, scaled from the smallest (`▁`) to the largest
/// (`█`); a missing value is a space, and equal values sit in the middle.
pub fn sparkline(values: &[Option<f64>]) -> String {
    let known = values.iter().flatten().filter(|v| v.is_finite());
    let (low, high) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    values
        .iter()
        .map(|value| match value {
            Some(v) if v.is_finite() && high > low => {
                let step = ((v - low) / (high - low) * 7.0).round() as usize;
                BLOCKS[step.min(7)]
            }
            Some(v) if v.is_finite() => BLOCKS[3],
            _ => ' ',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_between_the_extremes() {
        let cases: [(&[Option<f64>], &str); 7] = [
            (&[], ""),
            (&[Some(5.0)], "▄"),
            (&[Some(2.0), Some(2.0)], "▄▄"),
            (&[Some(0.0), Some(7.0)], "▁█"),
            (
                &[
                    Some(0.0),
                    Some(1.0),
                    Some(2.0),
                    Some(3.0),
                    Some(4.0),
                    Some(5.0),
                    Some(6.0),
                    Some(7.0),
                ],
                "▁▂▃▄▅▆▇█",
            ),
            (&[Some(-10.0), None, Some(10.0)], "▁ █"),
            (&[Some(1.0), Some(f64::NAN), Some(3.0)], "▁ █"),
        ];
        for (values, expected) in cases {
            assert_eq!(sparkline(values), expected, "{values:?}");
        }
    }
}
