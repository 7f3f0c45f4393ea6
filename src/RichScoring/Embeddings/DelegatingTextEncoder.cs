namespace RichScoring;

/// <summary>
/// Base class for text encoders that wrap another one to add behaviour (caching, logging, metrics) while passing
/// everything else through.
/// </summary>
public abstract class DelegatingTextEncoder : ITextEncoder
{
    /// <summary>Wraps <paramref name="innerEncoder"/>.</summary>
    /// <param name="innerEncoder">The encoder calls are forwarded to; disposed with this one.</param>
    protected DelegatingTextEncoder(ITextEncoder innerEncoder)
    {
        ArgumentNullException.ThrowIfNull(innerEncoder);
        InnerEncoder = innerEncoder;
    }

    /// <summary>The wrapped encoder.</summary>
    protected ITextEncoder InnerEncoder { get; }

    /// <inheritdoc />
    public virtual Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        InnerEncoder.EncodeAsync(texts, cancellationToken);

    /// <inheritdoc />
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this)
            ? this
            : InnerEncoder.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the wrapped encoder.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerEncoder.Dispose();
        }
    }
}
