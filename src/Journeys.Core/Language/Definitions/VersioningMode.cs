namespace Journeys.Language.Definitions;

/// <summary>What happens to customers inside a journey when a higher version of it is deployed.</summary>
public enum VersioningMode
{
    /// <summary>Customers in flight finish on the version they entered (the default).</summary>
    Finish,

    /// <summary>Customers in flight move to the step of the same name in the new version, or exit when it is gone.</summary>
    Migrate,
}
