namespace RichScoring.Http;

/// <summary>The guard's reading of one address: its category and, for a non-public one, why in words.</summary>
/// <param name="Category">The category (for an address embedding IPv4, the embedded address's).</param>
/// <param name="Description">For example <c>a link-local address (cloud metadata)</c>; null for a public address.</param>
internal readonly record struct AddressVerdict(AddressCategory Category, string? Description)
{
    public bool IsGlobal => Category == AddressCategory.Global;
}
