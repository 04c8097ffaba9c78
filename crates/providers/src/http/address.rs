//! Which addresses a provider request may reach. A connection's `base_url` is
//! the caller's to choose, so without this a connection could turn hiresync
//! into a proxy into its own network. The check runs where the address is
//! used: every name is resolved by [`PublicResolver`], which refuses the
//! special-purpose ranges of the IANA registries, so a name that resolved to a
//! public address when the connection was made and to an internal one later
//! (DNS rebinding) is refused at connect time too. The sandbox and tests turn
//! the policy off for the process ([`allow_private`]).

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};

static PRIVATE_ALLOWED: AtomicBool = AtomicBool::new(false);

/// Lets provider requests reach loopback and private addresses (the sandbox, tests): a
/// process-wide setting, made once at start from `HIRESYNC_ALLOW_PRIVATE_URLS`.
pub fn allow_private(allowed: bool) {
    PRIVATE_ALLOWED.store(allowed, Ordering::Relaxed);
}

/// Whether private addresses are allowed in this process.
pub fn private_allowed() -> bool {
    PRIVATE_ALLOWED.load(Ordering::Relaxed)
}

/// IPv4 special-purpose blocks (RFC 6890 registry), as (network, prefix length).
const V4_SPECIAL: &[(u32, u32)] = &[
    (0x0000_0000, 8),  // 0.0.0.0/8 "this network"
    (0x0A00_0000, 8),  // 10.0.0.0/8 private
    (0x6440_0000, 10), // 100.64.0.0/10 shared address space (CGNAT)
    (0x7F00_0000, 8),  // 127.0.0.0/8 loopback
    (0xA9FE_0000, 16), // 169.254.0.0/16 link local (cloud metadata)
    (0xAC10_0000, 12), // 172.16.0.0/12 private
    (0xC000_0000, 24), // 192.0.0.0/24 IETF protocol assignments
    (0xC000_0200, 24), // 192.0.2.0/24 documentation
    (0xC01F_C400, 24), // 192.31.196.0/24 AS112
    (0xC034_C100, 24), // 192.52.193.0/24 AMT
    (0xC058_6300, 24), // 192.88.99.0/24 6to4 relay anycast
    (0xC0A8_0000, 16), // 192.168.0.0/16 private
    (0xC0AF_3000, 24), // 192.175.48.0/24 direct delegation AS112
    (0xC612_0000, 15), // 198.18.0.0/15 benchmarking
    (0xC633_6400, 24), // 198.51.100.0/24 documentation
    (0xCB00_7100, 24), // 203.0.113.0/24 documentation
    (0xE000_0000, 4),  // 224.0.0.0/4 multicast
    (0xF000_0000, 4),  // 240.0.0.0/4 reserved, broadcast included
];

/// IPv6 special-purpose blocks, as (network, prefix length); mapped and embedded IPv4 are
/// judged by their IPv4 address instead.
const V6_SPECIAL: &[(u128, u32)] = &[
    (0, 128),                                        // ::/128 unspecified
    (1, 128),                                        // ::1/128 loopback
    (0x0064_ff9b_0001_0000_0000_0000_0000_0000, 48), // 64:ff9b:1::/48 local-use translation
    (0x0100_0000_0000_0000_0000_0000_0000_0000, 64), // 100::/64 discard
    (0x2001_0000_0000_0000_0000_0000_0000_0000, 23), // 2001::/23 IETF protocol assignments (Teredo too)
    (0x2001_0db8_0000_0000_0000_0000_0000_0000, 32), // 2001:db8::/32 documentation
    (0x3fff_0000_0000_0000_0000_0000_0000_0000, 20), // 3fff::/20 documentation
    (0x5f00_0000_0000_0000_0000_0000_0000_0000, 16), // 5f00::/16 segment routing
    (0xfc00_0000_0000_0000_0000_0000_0000_0000, 7),  // fc00::/7 unique local
    (0xfe80_0000_0000_0000_0000_0000_0000_0000, 10), // fe80::/10 link local
    (0xfec0_0000_0000_0000_0000_0000_0000_0000, 10), // fec0::/10 site local (deprecated)
    (0xff00_0000_0000_0000_0000_0000_0000_0000, 8),  // ff00::/8 multicast
];

fn in_v4(ip: u32, (net, len): (u32, u32)) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    ip & mask == net & mask
}

fn in_v6(ip: u128, (net, len): (u128, u32)) -> bool {
    let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
    ip & mask == net & mask
}

/// Whether `ip` is an ordinary public address (no special-purpose range of the registries).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let n = u32::from(ip);
    !V4_SPECIAL.iter().any(|block| in_v4(n, *block))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let n = u128::from(ip);
    // IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4
    // (2002::/16) carry an IPv4 address that is what is really reached.
    let in_low_32 = [(0xffff_0000_0000, 96), (0, 96), (0x0064_ff9b_0000_0000_0000_0000_0000_0000, 96)];
    let embedded = if in_low_32.iter().any(|block| in_v6(n, *block)) {
        Some(n as u32)
    } else if in_v6(n, (0x2002_0000_0000_0000_0000_0000_0000_0000, 16)) {
        Some((n >> 80) as u32)
    } else {
        None
    };
    match embedded {
        // `::` and `::1` sit inside ::/96 but are their own blocks.
        Some(_) if n <= 1 => false,
        Some(v4) => is_public_v4(Ipv4Addr::from(v4)),
        None => !V6_SPECIAL.iter().any(|block| in_v6(n, *block)),
    }
}

/// Resolves names for provider requests, refusing any name with a non-public address.
#[derive(Clone, Copy, Debug, Default)]
pub struct PublicResolver;

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
                // Said without the address: the refusal reaches whoever made the connection.
                let refused = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "not a public address");
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v4(s: &str) -> IpAddr {
        IpAddr::V4(s.parse().unwrap())
    }

    fn v6(s: &str) -> IpAddr {
        IpAddr::V6(s.parse().unwrap())
    }

    #[test]
    fn special_purpose_addresses_are_refused_and_public_ones_pass() {
        for ip in [
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.169.254",
            "172.31.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(v4(ip)), "{ip}");
        }
        for ip in [
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "3fff::1",
            "5f00::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!is_public(v6(ip)), "{ip}");
        }
        for ip in ["1.1.1.1", "8.8.8.8", "198.20.0.1", "192.0.1.1", "100.128.0.1"] {
            assert!(is_public(v4(ip)), "{ip}");
        }
        for ip in ["2606:4700::1111", "2a00:1450::1", "::ffff:1.1.1.1", "64:ff9b::808:808", "2002:0808:0808::1"] {
            assert!(is_public(v6(ip)), "{ip}");
        }
    }

    proptest! {
        /// Every address inside a registry block is refused, however its host bits are set.
        #[test]
        fn every_address_of_a_v4_block_is_refused(block in 0..V4_SPECIAL.len(), host in any::<u32>()) {
            let (net, len) = V4_SPECIAL[block];
            let host_mask = if len == 32 { 0 } else { u32::MAX >> len };
            prop_assert!(!is_public(IpAddr::V4(Ipv4Addr::from(net | (host & host_mask)))));
        }

        #[test]
        fn every_address_of_a_v6_block_is_refused(block in 0..V6_SPECIAL.len(), host in any::<u128>()) {
            let (net, len) = V6_SPECIAL[block];
            let host_mask = if len == 128 { 0 } else { u128::MAX >> len };
            prop_assert!(!is_public(IpAddr::V6(Ipv6Addr::from(net | (host & host_mask)))));
        }

        /// A special IPv4 address stays refused when carried in IPv6 (mapped, NAT64, 6to4).
        #[test]
        fn embedded_special_v4_is_refused(block in 0..V4_SPECIAL.len(), host in any::<u32>()) {
            let (net, len) = V4_SPECIAL[block];
            let host_mask = if len == 32 { 0 } else { u32::MAX >> len };
            let ip = u128::from(net | (host & host_mask));
            for carried in [0xffff_0000_0000 | ip, (0x0064_ff9b_u128 << 96) | ip, (0x2002_u128 << 112) | (ip << 80)] {
                prop_assert!(!is_public(IpAddr::V6(Ipv6Addr::from(carried))), "{:?}", Ipv6Addr::from(carried));
            }
        }
    }

    #[tokio::test]
    async fn a_name_of_loopback_does_not_resolve_for_providers() {
        let name: Name = "localhost".parse().unwrap();
        assert!(PublicResolver.resolve(name).await.is_err());
    }
}
