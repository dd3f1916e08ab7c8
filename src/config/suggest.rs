//! "Did you mean": the known name nearest to a misspelt one (pure).

/// The name in `known` nearest to `name`, if one is close enough to be a plausible typo: at
/// most max(2, len / 3) edits away (adjacent transpositions count as one edit), or a prefix of
/// it (at least 4 characters). Compared case-insensitively; ties go to the first in `known`.
pub(crate) fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for k in known {
        let d = distance(&name, k);
        let close = d <= (k.len() / 3).max(2)
            || (name.len() >= 4 && (k.starts_with(name.as_str()) || name.starts_with(k)));
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Optimal string alignment distance over chars: insertions, deletions, substitutions and
/// adjacent transpositions each cost one.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: i - 2, i - 1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        assert_eq!(distance("trusted_alb", "trusted_albs"), 1);
        assert_eq!(distance("isseur", "issuer"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_prefers_the_closest_and_refuses_far_names() {
        let known = ["issuer", "access_token_issuer", "client_id"];
        assert_eq!(nearest("isuer", &known), Some("issuer"));
        assert_eq!(nearest("Client_ID", &known), Some("client_id"));
        assert_eq!(nearest("client", &known), Some("client_id"));
        assert_eq!(nearest("colour", &known), None);
        assert_eq!(nearest("x", &known), None);
    }
}
