using System.Text;

namespace Journeys.Cli;

/// <summary>The writer diagnostics go through: every line written is shown with its control characters escaped
/// (<see cref="SimulationRun.Escape"/>), so a journey id, a file name or a customer id holding <c>ESC [2J</c> or a newline
/// can neither act on the terminal nor split a diagnostic in two. Only the line ends it writes itself are real.</summary>
internal sealed class EscapingWriter(TextWriter inner) : TextWriter
{
    /// <summary>The writer escaped text goes to.</summary>
    public TextWriter Inner => inner;

    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter takes a nullable value
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => inner.Write(SimulationRun.Escape(value.ToString()));

    public override void Write(string? value) => inner.Write(SimulationRun.Escape(value ?? ""));

    public override void WriteLine(string? value)
    {
        inner.Write(SimulationRun.Escape(value ?? ""));
        inner.WriteLine();
    }

    public override void WriteLine() => inner.WriteLine();

    public override void Flush() => inner.Flush();
}
