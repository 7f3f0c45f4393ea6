using System.Net;

namespace RichScoring.Http.Tests.Guard;

/// <summary>The address table: every special-purpose range, its edges, and public addresses that must stay allowed.</summary>
public sealed class AddressClassifierTests
{
    [Theory]
    // Public IPv4, including the neighbours of every special range.
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.0.3.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    // Public IPv6, and IPv6 forms that embed a public IPv4.
    [InlineData("2606:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("2001:200::1")]
    [InlineData("2001:dc0::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_global(string text)
    {
        var verdict = AddressClassifier.Classify(IPAddress.Parse(text));

        Assert.Equal(AddressCategory.Global, verdict.Category);
        Assert.Null(verdict.Description);
    }

    [Theory]
    [InlineData("127.0.0.1", "Loopback", "a loopback address")]
    [InlineData("127.255.255.254", "Loopback", "a loopback address")]
    [InlineData("10.0.0.1", "Private", "a private address")]
    [InlineData("10.255.255.255", "Private", "a private address")]
    [InlineData("172.16.0.1", "Private", "a private address")]
    [InlineData("172.31.255.255", "Private", "a private address")]
    [InlineData("192.168.0.1", "Private", "a private address")]
    [InlineData("169.254.169.254", "LinkLocal", "a link-local address (cloud metadata)")]
    [InlineData("169.254.0.1", "LinkLocal", "a link-local address (cloud metadata)")]
    [InlineData("100.64.0.1", "CarrierGradeNat", "a carrier-grade NAT address (100.64.0.0/10)")]
    [InlineData("100.127.255.255", "CarrierGradeNat", "a carrier-grade NAT address (100.64.0.0/10)")]
    [InlineData("0.0.0.0", "Unspecified", "the unspecified address")]
    [InlineData("0.1.2.3", "Reserved", "a reserved address (\"this network\", 0.0.0.0/8)")]
    [InlineData("224.0.0.1", "Multicast", "a multicast address")]
    [InlineData("239.255.255.250", "Multicast", "a multicast address")]
    [InlineData("255.255.255.255", "Broadcast", "the broadcast address")]
    [InlineData("240.0.0.1", "Reserved", "a reserved address (240.0.0.0/4)")]
    [InlineData("192.0.2.1", "Reserved", "a documentation address")]
    [InlineData("198.51.100.7", "Reserved", "a documentation address")]
    [InlineData("203.0.113.9", "Reserved", "a documentation address")]
    [InlineData("198.18.0.1", "Reserved", "a benchmarking address (198.18.0.0/15)")]
    [InlineData("198.19.255.255", "Reserved", "a benchmarking address (198.18.0.0/15)")]
    [InlineData("192.0.0.8", "Reserved", "a reserved address (IETF protocol assignments, 192.0.0.0/24)")]
    [InlineData("192.88.99.1", "Reserved", "a reserved address (6to4 relay anycast, 192.88.99.0/24)")]
    public void Special_ipv4_ranges_are_named(string text, string category, string description)
    {
        var verdict = AddressClassifier.Classify(IPAddress.Parse(text));

        Assert.Equal(category, verdict.Category.ToString());
        Assert.Equal(description, verdict.Description);
    }

    [Theory]
    [InlineData("::", "Unspecified", "the unspecified address")]
    [InlineData("::1", "Loopback", "a loopback address")]
    [InlineData("::ffff:127.0.0.1", "Loopback", "an IPv4-mapped address of 127.0.0.1, a loopback address")]
    [InlineData("::ffff:169.254.169.254", "LinkLocal", "an IPv4-mapped address of 169.254.169.254, a link-local address (cloud metadata)")]
    [InlineData("::ffff:10.1.2.3", "Private", "an IPv4-mapped address of 10.1.2.3, a private address")]
    [InlineData("::7f00:1", "Loopback", "an IPv4-compatible address of 127.0.0.1, a loopback address")]
    [InlineData("::a00:1", "Private", "an IPv4-compatible address of 10.0.0.1, a private address")]
    [InlineData("64:ff9b::a00:1", "Private", "a NAT64 address of 10.0.0.1, a private address")]
    [InlineData("64:ff9b::7f00:1", "Loopback", "a NAT64 address of 127.0.0.1, a loopback address")]
    [InlineData("64:ff9b:1::1", "Reserved", "a local-use NAT64 address (64:ff9b:1::/48)")]
    [InlineData("2002:a00:1::1", "Private", "a 6to4 address of 10.0.0.1, a private address")]
    [InlineData("2002:a9fe:a9fe::", "LinkLocal", "a 6to4 address of 169.254.169.254, a link-local address (cloud metadata)")]
    [InlineData("fc00::1", "Private", "a unique local (private) address")]
    [InlineData("fdff:ffff::1", "Private", "a unique local (private) address")]
    [InlineData("fd00:ec2::254", "Private", "a unique local address (cloud metadata)")]
    [InlineData("fe80::1", "LinkLocal", "a link-local address")]
    [InlineData("febf::1", "LinkLocal", "a link-local address")]
    [InlineData("fec0::1", "Private", "a site-local (private) address")]
    [InlineData("ff02::1", "Multicast", "a multicast address")]
    [InlineData("2001:db8::1", "Reserved", "a documentation address")]
    [InlineData("3fff::1", "Reserved", "a documentation address")]
    [InlineData("2001::1", "Reserved", "a Teredo address (2001::/32)")]
    [InlineData("2001:2::1", "Reserved", "a benchmarking address (2001:2::/48)")]
    [InlineData("2001:10::1", "Reserved", "a reserved address (IETF protocol assignments, 2001::/23)")]
    [InlineData("100::1", "Reserved", "a reserved address (outside global unicast 2000::/3)")]
    [InlineData("5f00::1", "Reserved", "a reserved address (outside global unicast 2000::/3)")]
    [InlineData("4000::1", "Reserved", "a reserved address (outside global unicast 2000::/3)")]
    public void Special_ipv6_ranges_and_embedded_ipv4_are_named(string text, string category, string description)
    {
        var verdict = AddressClassifier.Classify(IPAddress.Parse(text));

        Assert.Equal(category, verdict.Category.ToString());
        Assert.Equal(description, verdict.Description);
    }

    [Fact]
    public void Every_ipv4_first_octet_agrees_with_a_plain_range_table()
    {
        // A second, independent statement of the /8-level rules, walked over all 256 first octets.
        for (var first = 0; first < 256; first++)
        {
            var address = new IPAddress([(byte)first, 1, 2, 3]);
            var expected = first switch
            {
                0 => AddressCategory.Reserved,
                10 => AddressCategory.Private,
                127 => AddressCategory.Loopback,
                >= 224 and < 240 => AddressCategory.Multicast,
                >= 240 => AddressCategory.Reserved,
                _ => AddressCategory.Global,
            };

            Assert.Equal(expected, AddressClassifier.Classify(address).Category);
        }
    }
}
