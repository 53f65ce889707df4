using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Journeys.Language.Templates;

/// <summary>How a render keeps to its <see cref="TemplateLimits"/>. Fluid counts statements (<c>MaxSteps</c>) but builds
/// a range's every element before a loop's first step, and puts no bound on strings; so every range is rewritten at
/// parse time to one that refuses more elements than the step budget, every filter's result, assigned and captured
/// value is measured, and the output goes to a writer that stops at the length limit.</summary>
internal static class TemplateBudget
{
    /// <summary>Options shared by every render: invariant culture, UTC, no file provider, budgets checked.</summary>
    public static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            MaxRecursion = TemplateLimits.MaxRecursion,
            Now = static () => throw new TemplateBudgetException("templates read the engine's time only"), // replaced per render
        };
        foreach (var (name, filter) in options.Filters.ToList())
        {
            // join and replace can make a string quadratic in their input: their result's length is worked out first.
            Func<FluidValue, FilterArguments, TemplateContext, long>? predict = name switch
            {
                "join" => JoinedLength,
                "replace" => ReplacedLength,
                _ => null,
            };
            options.Filters.AddFilter(name, async (input, arguments, context) =>
            {
                if (predict is not null && context is Context budgeted && predict(input, arguments, context) > budgeted.Limits.MaxOutputLength)
                {
                    throw TooLong(name, budgeted.Limits.MaxOutputLength);
                }

                return Check(await filter(input, arguments, context).ConfigureAwait(false), context, name);
            });
        }

        options.Assigned = static (name, value, context) => ValueTask.FromResult(Check(value, context, name));
        options.Captured = static (name, value, context) => ValueTask.FromResult(Check(value, context, name));
        return options;
    }

    /// <summary>The template with every range bounded by the step budget.</summary>
    public static IFluidTemplate Bound(IFluidTemplate template) => new RangeRewriter().VisitTemplate(template);

    private static FluidValue Check(FluidValue value, TemplateContext context, string what)
    {
        if (value is StringValue s && context is Context budgeted && s.ToStringValue().Length > budgeted.Limits.MaxOutputLength)
        {
            throw TooLong(what, budgeted.Limits.MaxOutputLength);
        }

        return value;
    }

    private static TemplateBudgetException TooLong(string what, int max) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{what}' builds a string of more than {max} characters (the template output limit)"));

    private static long JoinedLength(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        if (input is not ArrayValue array)
        {
            return 0;
        }

        var separator = arguments.Count > 0 ? arguments.At(0).ToStringValue().Length : 1; // Liquid's default separator is one space
        long length = 0, count = 0;
        foreach (var item in array.Values)
        {
            length += item.ToStringValue().Length;
            count++;
        }

        return length + (Math.Max(count - 1, 0) * separator);
    }

    private static long ReplacedLength(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var text = input.ToStringValue();
        var old = arguments.At(0).ToStringValue();
        var replacement = arguments.At(1).ToStringValue();
        var occurrences = old.Length == 0 ? text.Length + 1L : text.AsSpan().Count(old);
        return text.Length + (occurrences * (replacement.Length - (long)old.Length));
    }

    /// <summary>Fluid reports its step limit with the message of its recursion limit; templates have no includes, so a
    /// limit reached is the step limit, and is reported as such.</summary>
    public static TemplateBudgetException StepLimit(int maxSteps) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the template ran more than {maxSteps} steps (the template step limit)"));

    /// <summary>A render's context: the values it sees, its budget and the engine's time.</summary>
    /// <remarks>A partition reuses one context for all its renders (<see cref="TemplateRenderer"/>): <see cref="Begin"/>
    /// gives each render its own budget, time and a fresh child scope (what <c>assign</c>, <c>capture</c>,
    /// <c>increment</c> and <c>cycle</c> write), and <see cref="End"/> drops that scope, so nothing one render sets is
    /// seen by the next.</remarks>
    public sealed class Context : TemplateContext
    {
        private DateTimeOffset _now;

        public Context(TemplateOptions options, TemplateLimits limits, DateTimeOffset now) : base(options)
        {
            Limits = limits;
            MaxSteps = limits.MaxSteps;
            _now = now;
            Now = () => _now;
        }

        public TemplateLimits Limits { get; private set; }

        /// <summary>Starts a render on a reused context: its budget and time, no steps taken, no <c>ifchanged</c>
        /// memory, and a child scope of its own for what the template assigns.</summary>
        public void Begin(TemplateLimits limits, DateTimeOffset now)
        {
            Limits = limits;
            MaxSteps = limits.MaxSteps;
            _now = now;
            _steps = 0;
            AmbientValues.Clear();
            EnterChildScope();
            _recursion = 0; // the render's own scope is not a level of nesting: the same depth as a fresh context
        }

        /// <summary>Ends a render begun with <see cref="Begin"/>: its scope, and all it assigned, is dropped.</summary>
        public void End() => ReleaseScope();
    }

    /// <summary>Collects the output, and stops when it would pass the length limit.</summary>
    public sealed class BoundedWriter(int maxLength) : StringWriter(CultureInfo.InvariantCulture)
    {
        /// <summary>Empties the writer for the next output, with its limit; its buffer is kept (unless a long output
        /// grew it past 64 K characters).</summary>
        public void Reset(int max)
        {
            maxLength = max;
            var builder = GetStringBuilder();
            builder.Clear();
            if (builder.Capacity > 64 * 1024)
            {
                builder.Capacity = 1024;
            }
        }

        private void Room(int count)
        {
            if (GetStringBuilder().Length + (long)count > maxLength)
            {
                throw new TemplateBudgetException(string.Create(CultureInfo.InvariantCulture, $"the output is longer than {maxLength} characters (the template output limit)"));
            }
        }

        public override void Write(char value)
        {
            Room(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Room(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Room(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(string? value)
        {
            Room(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(StringBuilder? value)
        {
            Room(value?.Length ?? 0);
            base.Write(value);
        }

        public override Task WriteAsync(char value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Write(buffer, index, count);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }
    }

    private sealed class RangeRewriter : AstRewriter
    {
        protected override Expression VisitRangeExpression(RangeExpression rangeExpression) => new BoundedRange(rangeExpression);
    }

    /// <summary>A range costs a step per element; Fluid makes all its elements at once, so one longer than the step budget
    /// is refused before any is made.</summary>
    private sealed class BoundedRange(RangeExpression range) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var from = (await range.From.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue();
            var to = (await range.To.EvaluateAsync(context).ConfigureAwait(false)).ToNumberValue();
            var max = context is Context budgeted ? budgeted.Limits.MaxSteps : TemplateLimits.DefaultMaxSteps;
            if (Math.Abs(to - from) >= max)
            {
                throw new TemplateBudgetException(string.Create(CultureInfo.InvariantCulture, $"the range ({from}..{to}) is longer than the template step limit of {max}"));
            }

            return await range.EvaluateAsync(context).ConfigureAwait(false);
        }
    }
}
