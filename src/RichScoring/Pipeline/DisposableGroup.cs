using System.Runtime.ExceptionServices;

namespace RichScoring;

/// <summary>Disposes several parts a pipeline owns, in order, each once, even when one of them throws.</summary>
internal sealed class DisposableGroup(params IDisposable?[] parts) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Exception>? errors = null;
        foreach (var part in parts)
        {
            try
            {
                part?.Dispose();
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is { Count: 1 })
        {
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }
}
