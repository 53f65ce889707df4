using System.Runtime.CompilerServices;

namespace Journeys.State;

/// <summary>Moves to new journey versions made when customers were restored, until their partition records them. Rare
/// state kept beside the customers instead of in them, so the millions of others keep no reference for it; read only at
/// restore and when the moves are recorded, never per event. Weak: an entry goes with its customer. One per engine (its
/// <c>RuntimeModel</c>), never process-wide.</summary>
internal sealed class PendingMigrations
{
    private readonly ConditionalWeakTable<CustomerState, List<Migration>> _moves = new();

    /// <summary>The customer's pending moves, or null.</summary>
    public List<Migration>? Of(CustomerState customer) => _moves.TryGetValue(customer, out var moves) ? moves : null;

    /// <summary>Adds a move for the customer.</summary>
    public void Add(CustomerState customer, Migration move) => _moves.GetOrCreateValue(customer).Add(move);

    /// <summary>Takes the customer's pending moves (they are recorded now), or null.</summary>
    public List<Migration>? Take(CustomerState customer)
    {
        if (!_moves.TryGetValue(customer, out var moves))
        {
            return null;
        }

        _moves.Remove(customer);
        return moves;
    }
}
