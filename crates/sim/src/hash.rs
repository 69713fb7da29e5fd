//! Kubernetes-style names: the pod-template hash Argo Rollouts puts in
//! `rollouts-pod-template-hash` (FNV-32a of the template, encoded in the
//! k8s "safe" alphabet) and random name suffixes.

/// `k8s.io/apimachinery/pkg/util/rand` alphabet: no vowels, no confusable digits.
pub const K8S_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

pub fn fnv32a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `rand.SafeEncodeString(fmt.Sprint(hash))`: each decimal digit mapped
/// through the alphabet, as Kubernetes does.
pub fn safe_encode(value: u32) -> String {
    value
        .to_string()
        .bytes()
        .map(|d| K8S_ALPHABET[usize::from(d - b'0') % K8S_ALPHABET.len()] as char)
        .collect()
}

/// The hash of a canonical serialisation of a pod template.
pub fn pod_template_hash(canonical: &str) -> String {
    safe_encode(fnv32a(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_reference_values() {
        assert_eq!(fnv32a(b""), 0x811c_9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c_292c);
    }

    #[test]
    fn hash_uses_the_alphabet_and_changes_with_the_image() {
        let a = pod_template_hash("image=jaegertracing/example-hotrod:1.75.0");
        let b = pod_template_hash("image=jaegertracing/example-hotrod:1.76.0");
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| K8S_ALPHABET.contains(&c)), "{a}");
    }
}
