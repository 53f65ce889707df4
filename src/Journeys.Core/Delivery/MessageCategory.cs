namespace Journeys.Delivery;

/// <summary>Whether a message is subject to the pace policy.</summary>
public enum MessageCategory
{
    /// <summary>Counted and capped, held during quiet hours (the default).</summary>
    Marketing,

    /// <summary>Neither counted nor capped nor held: receipts, security notices.</summary>
    Transactional,
}
