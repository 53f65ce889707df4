namespace Journeys.Delivery;

/// <summary>Whether a message is subject to the pace policy (caps, quiet hours, consent).</summary>
public enum MessageCategory
{
    /// <summary>Counted and capped, held during quiet hours (the default).</summary>
    Marketing,

    /// <summary>A message to the customer about their own account (receipts, security notices): neither counted nor
    /// capped nor held by quiet hours; consent still applies.</summary>
    Transactional,

    /// <summary>Work for staff, not a message to the customer (an agent's call-back task, an internal webhook): not
    /// capped, not counted against caps, not held by quiet hours, and sent whatever the customer's consent.</summary>
    Operational,
}
