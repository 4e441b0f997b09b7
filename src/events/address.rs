//! Which addresses a webhook may be sent to. Link-local addresses (169.254/16, fe80::/10) are where
//! cloud metadata services answer with credentials, so they, the metadata names and unusable
//! addresses (unspecified, multicast, broadcast) are refused unless the configuration allows them.
use std::net::IpAddr;

/// Host names of metadata services, refused like their addresses.
const METADATA_HOSTS: [&str; 3] = ["metadata.google.internal", "metadata", "instance-data"];

/// Why `ip` may not receive webhooks, `None` when it may (`allow_link_local` lets link-local and
/// metadata addresses through, for deployments that really mean it).
pub fn refused_ip(ip: IpAddr, allow_link_local: bool) -> Option<&'static str> {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    let link_local = match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => {
            (v6.segments()[0] & 0xffc0) == 0xfe80 || v6.segments() == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]
        }
    };
    if link_local && !allow_link_local {
        return Some("a link-local or metadata address");
    }
    let unusable = match ip {
        IpAddr::V4(v4) => v4.is_unspecified() || v4.is_multicast() || v4.is_broadcast(),
        IpAddr::V6(v6) => v6.is_unspecified() || v6.is_multicast(),
    };
    unusable.then_some("an unspecified, multicast or broadcast address")
}

/// Why the host name `host` may not receive webhooks, `None` when it may.
pub fn refused_host(host: &str, allow_link_local: bool) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!allow_link_local && METADATA_HOSTS.contains(&host.as_str())).then_some("a metadata service name")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn metadata_and_link_local_addresses_are_refused_unless_allowed() {
        for refused in [
            "169.254.169.254",
            "169.254.0.1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:169.254.169.254",
        ] {
            assert!(refused_ip(ip(refused), false).is_some(), "{refused}");
            assert!(refused_ip(ip(refused), true).is_none(), "{refused} allowed");
        }
        assert!(refused_host("metadata.google.internal.", false).is_some());
        assert!(refused_host("hooks.example.com", false).is_none());
    }

    #[test]
    fn ordinary_and_loopback_addresses_are_accepted_and_unusable_ones_refused() {
        for ok in ["127.0.0.1", "203.0.113.9", "::1", "2001:db8::1"] {
            assert!(refused_ip(ip(ok), false).is_none(), "{ok}");
        }
        for bad in ["0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "ff02::1"] {
            assert!(refused_ip(ip(bad), true).is_some(), "{bad}");
        }
    }
}
