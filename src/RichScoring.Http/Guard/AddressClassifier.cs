using System.Net;
using System.Net.Sockets;

namespace RichScoring.Http;

/// <summary>
/// Classifies IP addresses after the IANA special-purpose registries (RFC 6890 and successors): which are public and
/// which are loopback, private, link-local, carrier-grade NAT, multicast, documentation, benchmarking or reserved.
/// IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the
/// embedded address.
/// </summary>
internal static class AddressClassifier
{
    private static readonly AddressVerdict Public = new(AddressCategory.Global, null);

    public static AddressVerdict Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => new(AddressCategory.Reserved, "not an IPv4 or IPv6 address"),
        };
    }

    private static AddressVerdict ClassifyV4(ReadOnlySpan<byte> a) => a switch
    {
        [0, 0, 0, 0] => new(AddressCategory.Unspecified, "the unspecified address"),
        [0, ..] => new(AddressCategory.Reserved, "a reserved address (\"this network\", 0.0.0.0/8)"),
        [10, ..] => new(AddressCategory.Private, "a private address"),
        [100, >= 64 and <= 127, ..] => new(AddressCategory.CarrierGradeNat, "a carrier-grade NAT address (100.64.0.0/10)"),
        [127, ..] => new(AddressCategory.Loopback, "a loopback address"),
        [169, 254, ..] => new(AddressCategory.LinkLocal, "a link-local address (cloud metadata)"),
        [172, >= 16 and <= 31, ..] => new(AddressCategory.Private, "a private address"),
        [192, 0, 0, _] => new(AddressCategory.Reserved, "a reserved address (IETF protocol assignments, 192.0.0.0/24)"),
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => new(AddressCategory.Reserved, "a documentation address"),
        [192, 88, 99, _] => new(AddressCategory.Reserved, "a reserved address (6to4 relay anycast, 192.88.99.0/24)"),
        [192, 168, ..] => new(AddressCategory.Private, "a private address"),
        [198, 18 or 19, ..] => new(AddressCategory.Reserved, "a benchmarking address (198.18.0.0/15)"),
        [>= 224 and <= 239, ..] => new(AddressCategory.Multicast, "a multicast address"),
        [255, 255, 255, 255] => new(AddressCategory.Broadcast, "the broadcast address"),
        [>= 240, ..] => new(AddressCategory.Reserved, "a reserved address (240.0.0.0/4)"),
        _ => Public,
    };

    private static AddressVerdict ClassifyV6(ReadOnlySpan<byte> a)
    {
        if (a.IndexOfAnyExcept((byte)0) < 0)
        {
            return new(AddressCategory.Unspecified, "the unspecified address");
        }

        if (a[..15].IndexOfAnyExcept((byte)0) < 0 && a[15] == 1)
        {
            return new(AddressCategory.Loopback, "a loopback address");
        }

        if (a[..10].IndexOfAnyExcept((byte)0) < 0 && a[10] == 0xFF && a[11] == 0xFF)
        {
            return Embedded("an IPv4-mapped address of", a[12..]);
        }

        if (a[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return Embedded("an IPv4-compatible address of", a[12..]);
        }

        if (a[..4].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xFF, 0x9B]))
        {
            // 64:ff9b::/96 is the well-known NAT64 prefix (judged by the IPv4 it reaches); 64:ff9b:1::/48 is local-use.
            return a[4..12].IndexOfAnyExcept((byte)0) < 0
                ? Embedded("a NAT64 address of", a[12..])
                : new(AddressCategory.Reserved, "a local-use NAT64 address (64:ff9b:1::/48)");
        }

        if (a[0] == 0xFF)
        {
            return new(AddressCategory.Multicast, "a multicast address");
        }

        if ((a[0] & 0xFE) == 0xFC)
        {
            // fd00:ec2::254 is the EC2 instance metadata service over IPv6.
            var metadata = a[..4].SequenceEqual((ReadOnlySpan<byte>)[0xFD, 0x00, 0x0E, 0xC2]);
            return new(AddressCategory.Private, metadata ? "a unique local address (cloud metadata)" : "a unique local (private) address");
        }

        if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)
        {
            return new(AddressCategory.LinkLocal, "a link-local address");
        }

        if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0)
        {
            return new(AddressCategory.Private, "a site-local (private) address");
        }

        if ((a[0] & 0xE0) != 0x20)
        {
            return new(AddressCategory.Reserved, "a reserved address (outside global unicast 2000::/3)");
        }

        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8)
        {
            return new(AddressCategory.Reserved, "a documentation address");
        }

        if (a[0] == 0x3F && a[1] == 0xFF && (a[2] & 0xF0) == 0)
        {
            return new(AddressCategory.Reserved, "a documentation address");
        }

        if (a[0] == 0x20 && a[1] == 0x02)
        {
            return Embedded("a 6to4 address of", a[2..6]);
        }

        if (a[0] == 0x20 && a[1] == 0x01 && (a[2] & 0xFE) == 0)
        {
            return a[2] == 0 && a[3] == 0
                ? new(AddressCategory.Reserved, "a Teredo address (2001::/32)")
                : a[2] == 0 && a[3] == 0x02 && a[4] == 0 && a[5] == 0
                    ? new(AddressCategory.Reserved, "a benchmarking address (2001:2::/48)")
                    : new(AddressCategory.Reserved, "a reserved address (IETF protocol assignments, 2001::/23)");
        }

        return Public;
    }

    private static AddressVerdict Embedded(string form, ReadOnlySpan<byte> v4)
    {
        var inner = ClassifyV4(v4);
        return inner.IsGlobal ? Public : new(inner.Category, $"{form} {new IPAddress(v4)}, {inner.Description}");
    }
}
