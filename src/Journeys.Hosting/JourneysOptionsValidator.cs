using Journeys.Engine;
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

        var engine = new JourneyEngineOptions();
        options.ApplyTo(engine); // as the engine will be built
        errors.AddRange(engine.Problems(setting => $"JourneysOptions.{setting}", nullMeansDefault: true)); // the engine's rules, stated once there

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
