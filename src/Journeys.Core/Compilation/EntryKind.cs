namespace Journeys.Compilation;

/// <summary>How customers enter a compiled journey: the four entry kinds of the language, decided once at compile time
/// so the interpreter switches on a number instead of casting definition records.</summary>
internal enum EntryKind
{
    /// <summary><c>entry: { on: event, if: guard }</c>.</summary>
    Event,

    /// <summary><c>entry: { when: condition }</c>.</summary>
    Condition,

    /// <summary><c>entry: { inactive: { for, of } }</c>.</summary>
    Inactivity,

    /// <summary><c>entry: { date: { trait, ... } }</c>.</summary>
    Date,
}
