namespace RichScoring.Http;

/// <summary>What kind of address an IP address is, as far as the SSRF guard cares.</summary>
internal enum AddressCategory
{
    /// <summary>Public, globally routable unicast: allowed.</summary>
    Global,

    /// <summary>127/8, ::1.</summary>
    Loopback,

    /// <summary>10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10.</summary>
    Private,

    /// <summary>100.64/10, shared address space of carrier-grade NAT.</summary>
    CarrierGradeNat,

    /// <summary>169.254/16 (cloud metadata), fe80::/10.</summary>
    LinkLocal,

    /// <summary>224/4, ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0, ::.</summary>
    Unspecified,

    /// <summary>255.255.255.255.</summary>
    Broadcast,

    /// <summary>Documentation and benchmarking ranges, and everything else IANA does not mark globally reachable.</summary>
    Reserved,
}
