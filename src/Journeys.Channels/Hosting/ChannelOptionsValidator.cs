using Microsoft.Extensions.Options;

namespace Journeys.Hosting;

/// <summary>Checks the named options of one channel registered through <c>IJourneysBuilder</c> when the host starts,
/// with the same rules the channel's constructor applies, so a wrong setting fails the start instead of the first
/// send.</summary>
/// <param name="name">The options name, which is the channel name.</param>
/// <param name="errors">The channel's own checks: one line per wrong setting.</param>
internal sealed class ChannelOptionsValidator<TOptions>(string name, Func<TOptions, IEnumerable<string>> errors) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (optionsName != name)
        {
            return ValidateOptionsResult.Skip;
        }

        var found = errors(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
