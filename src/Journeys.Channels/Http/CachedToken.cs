using Journeys.Delivery;

namespace Journeys.Channels;

/// <summary>An access token kept until shortly before it expires and fetched by one caller at a time, so a burst of
/// sends makes one token request (providers throttle their token endpoints: WeCom's <c>gettoken</c>, Google's OAuth
/// token URI). A provider that rejects a token as expired or invalid gets it dropped with <see cref="Invalidate"/>; the
/// next send fetches a new one. Time is read on the given clock.</summary>
internal sealed class CachedToken(TimeProvider time)
{
    /// <summary>How long before its stated expiry a token is no longer used: a request made with it must still arrive
    /// in time.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Entry? _current; // replaced whole, so a reader never sees half of one

    private sealed record Entry(string Token, DateTimeOffset Until);

    /// <summary>How many tokens were fetched (for tests and metrics).</summary>
    public int Fetches { get; private set; }

    /// <summary>The kept token, or a new one from <paramref name="fetch"/>; a failed fetch gives its result instead.</summary>
    /// <param name="fetch">Asks the provider once: a token and its lifetime, or why not.</param>
    /// <param name="cancellationToken">Cancels the wait and the fetch.</param>
    public async ValueTask<(string? Token, DeliveryResult Failure)> GetAsync(
        Func<CancellationToken, ValueTask<(string? Token, TimeSpan Lifetime, DeliveryResult Failure)>> fetch, CancellationToken cancellationToken)
    {
        if (Valid() is { } kept)
        {
            return (kept, default);
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Valid() is { } fetchedMeanwhile)
            {
                return (fetchedMeanwhile, default);
            }

            var (token, lifetime, failure) = await fetch(cancellationToken).ConfigureAwait(false);
            if (token is null)
            {
                return (null, failure);
            }

            Fetches++;
            var until = time.GetUtcNow() + (lifetime > Margin * 2 ? lifetime - Margin : lifetime / 2);
            _current = new Entry(token, until);
            return (token, default);
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> if it is still the kept one (another send may have replaced it already).</summary>
    public void Invalidate(string token)
    {
        var current = _current;
        if (current is not null && current.Token == token)
        {
#pragma warning disable CS0420 // a volatile field passed by reference: Interlocked is atomic on its own
            Interlocked.CompareExchange(ref _current, null, current);
#pragma warning restore CS0420
        }
    }

    private string? Valid()
    {
        var current = _current;
        return current is not null && time.GetUtcNow() < current.Until ? current.Token : null;
    }
}
