namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <see cref="IJourneysBuilder"/> that <c>AddJourneys</c> hands out.</summary>
internal sealed class JourneysBuilder(IServiceCollection services) : IJourneysBuilder
{
    public IServiceCollection Services { get; } = services;
}
