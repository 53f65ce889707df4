using System.Globalization;
using System.Text.Json;
using Journeys.Delivery;

namespace Journeys.Sample;

/// <summary>A tiny in-process loyalty ledger: the action behind value boost's <c>call: { action: loyalty-credit }</c>. It
/// keeps each customer's points balance and their points multiplier with its end; a call sets the multiplier
/// (<c>with: { multiplier, days }</c>) from the call's time and answers
/// <c>{"status": "ok", "multiplier": 2, "until": "...", "balance": 120}</c>. It answers a call it has seen (the same
/// idempotency key, as after a retry or a restart) with its first answer, so a customer is credited once per run.
/// A real host registers its loyalty system instead (an <c>HttpJourneyAction</c>, docs/channels.md).</summary>
public sealed class LoyaltyLedger : IJourneyAction
{
    /// <summary>The action's name in the journeys.</summary>
    public const string ActionName = "loyalty-credit";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ActionResult> _answered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private int _refused;

    /// <inheritdoc/>
    public string Name => ActionName;

    /// <summary>When set, every new call is refused for good (<see cref="ActionResult.Permanent"/>), as a ledger closed
    /// for maintenance would: the journey's <c>on: $failed</c> fallback then applies.</summary>
    public bool Closed { get; set; }

    /// <summary>How many calls were credited (each idempotency key once).</summary>
    public int Credits
    {
        get
        {
            lock (_gate)
            {
                return _answered.Count;
            }
        }
    }

    /// <summary>How many calls were refused because the ledger was <see cref="Closed"/>.</summary>
    public int Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused;
            }
        }
    }

    /// <summary>The points of every account.</summary>
    public long TotalPoints
    {
        get
        {
            lock (_gate)
            {
                return _accounts.Values.Sum(a => a.Balance);
            }
        }
    }

    /// <summary>A customer's points balance.</summary>
    /// <param name="customerId">The customer.</param>
    public long Balance(string customerId)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(customerId, out var account) ? account.Balance : 0;
        }
    }

    /// <summary>The customer's points multiplier at <paramref name="at"/> (1 outside an offer).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="at">The instant.</param>
    public double MultiplierAt(string customerId, DateTimeOffset at)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(customerId, out var account) && at < account.Until ? account.Multiplier : 1;
        }
    }

    /// <summary>Adds points for an order of <paramref name="amount"/> at <paramref name="at"/>: one point per unit of
    /// money, times the multiplier then.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="amount">The order's amount.</param>
    /// <param name="at">When the order was placed.</param>
    /// <returns>The new balance.</returns>
    public long Earn(string customerId, double amount, DateTimeOffset at)
    {
        lock (_gate)
        {
            var account = Of(customerId);
            account.Balance += (long)Math.Floor(amount * (at < account.Until ? account.Multiplier : 1));
            return account.Balance;
        }
    }

    /// <inheritdoc/>
    public ValueTask<ActionResult> InvokeAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (_answered.TryGetValue(request.IdempotencyKey, out var first))
            {
                return ValueTask.FromResult(first);
            }

            if (Closed)
            {
                _refused++;
                return ValueTask.FromResult(ActionResult.Permanent("the loyalty ledger is closed for maintenance"));
            }

            var multiplier = Number(request, "multiplier", 1);
            var days = Number(request, "days", 0);
            var account = Of(request.CustomerId);
            account.Multiplier = multiplier;
            account.Until = request.Timestamp.AddDays(days);
            var answer = ActionResult.Done(JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["status"] = "ok",
                ["multiplier"] = multiplier,
                ["until"] = account.Until.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["balance"] = account.Balance,
            }));
            _answered[request.IdempotencyKey] = answer;
            return ValueTask.FromResult(answer);
        }
    }

    private Account Of(string customerId)
    {
        if (!_accounts.TryGetValue(customerId, out var account))
        {
            _accounts[customerId] = account = new Account();
        }

        return account;
    }

    private static double Number(ActionRequest request, string name, double otherwise) =>
        request.Arguments.TryGetValue(name, out var value) && value is double number ? number : otherwise;

    private sealed class Account
    {
        public long Balance { get; set; }

        public double Multiplier { get; set; } = 1;

        public DateTimeOffset Until { get; set; } = DateTimeOffset.MinValue;
    }
}
