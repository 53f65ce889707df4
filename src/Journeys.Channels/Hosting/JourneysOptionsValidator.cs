using Journeys.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Journeys.Hosting;

/// <summary>Checks <see cref="JourneysOptions"/> when the host starts, naming every wrong property and what it
/// allows.</summary>
internal sealed class JourneysOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<JourneysOptions>
{
    public ValidateOptionsResult Validate(string? name, JourneysOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            errors.Add("JourneysOptions.Folder is required: the folder of journey files, absolute or relative to the content root.");
        }
        else if (options.FullFolder(environment?.ContentRootPath) is var folder && !Directory.Exists(folder))
        {
            errors.Add($"JourneysOptions.Folder '{options.Folder}' does not exist (looked for {folder}).");
        }

        if (options.Partitions is < 1 or > JourneyEngineBuilder.MaxPartitions)
        {
            errors.Add($"JourneysOptions.Partitions is {options.Partitions}; use 1 to {JourneyEngineBuilder.MaxPartitions}, or null for one per processor.");
        }

        if (options.QueueCapacity < JourneyEngineBuilder.MinQueueCapacity)
        {
            errors.Add($"JourneysOptions.QueueCapacity is {options.QueueCapacity}; use at least {JourneyEngineBuilder.MinQueueCapacity}, or null for 65,536.");
        }

        if (options.CatchUpLimit < 1)
        {
            errors.Add($"JourneysOptions.CatchUpLimit is {options.CatchUpLimit}; use at least 1, or null for 1,000.");
        }

        if (options.MaxSendLateness <= TimeSpan.Zero)
        {
            errors.Add($"JourneysOptions.MaxSendLateness is {options.MaxSendLateness}; use more than zero, or null for no limit.");
        }

        if (options.DrainTimeout is { } drain && drain <= TimeSpan.Zero && drain != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"JourneysOptions.DrainTimeout is {drain}; use more than zero, Timeout.InfiniteTimeSpan to wait for every delivery, or null for {JourneyEngineBuilder.DefaultDrainTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
