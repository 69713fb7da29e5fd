//! Seeded randomness. Every draw comes from ChaCha8 streams derived from the
//! scenario seed, and every transcendental function from `libm`, so a seed
//! gives the same numbers natively and on wasm32.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// Independent streams, so adding draws in one component does not shift
/// the numbers another one sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Names,
    Traffic,
    /// One per pod, by creation index.
    Pod(u64),
}

impl Stream {
    fn id(self) -> u64 {
        match self {
            Stream::Names => 1,
            Stream::Traffic => 2,
            Stream::Pod(i) => 1_000 + i,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SimRng(ChaCha8Rng);

impl SimRng {
    pub fn new(seed: u64, stream: Stream) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream.id());
        SimRng(rng)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (0 when `n` is 0), without modulo bias worth noting.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Normal(mean, sd) by Box–Muller; one draw pair per call keeps the
    /// stream position independent of how many normals were asked before.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]: ln never sees 0
        let u2 = self.unit();
        let z = libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2);
        mean + sd * z
    }

    /// A lowercase alphanumeric suffix in the Kubernetes alphabet.
    pub fn k8s_suffix(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| crate::hash::K8S_ALPHABET[self.below(crate::hash::K8S_ALPHABET.len())] as char)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let mut a = SimRng::new(7, Stream::Traffic);
        let mut b = SimRng::new(7, Stream::Traffic);
        let mut c = SimRng::new(7, Stream::Names);
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn normal_has_the_right_moments() {
        let mut r = SimRng::new(1, Stream::Pod(0));
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal(300.0, 30.0)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 300.0).abs() < 1.0, "{mean}");
        assert!((libm::sqrt(var) - 30.0).abs() < 1.0, "{var}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SimRng::new(3, Stream::Traffic);
        assert!((0..1000).all(|_| r.below(3) < 3));
        assert_eq!(r.below(0), 0);
    }
}
