using System.Collections.Generic;
using System.Linq;

namespace Atc.Options
{
    public enum AtcSeverity { Error, Warning }

    /// <summary>
    /// One reported problem: ATC's code and text (verbatim where ATC has one), its cause and solution, and a fix this
    /// project computes from the model (the real input name, the declared shape, valid choices).
    /// </summary>
    public sealed class AtcDiagnostic
    {
        public AtcDiagnostic(string code, string message, string? cause = null, string? solution = null,
            string? fix = null, string? parameter = null, AtcSeverity severity = AtcSeverity.Error)
        {
            Code = code;
            Message = message;
            Cause = cause;
            Solution = solution;
            Fix = fix;
            Parameter = parameter;
            Severity = severity;
        }

        public string Code { get; }
        /// <summary>ATC's message text without the code prefix.</summary>
        public string Message { get; }
        public string? Cause { get; }
        public string? Solution { get; }
        /// <summary>A concrete way out computed from the model and the options, e.g. an option value to use.</summary>
        public string? Fix { get; }
        /// <summary>The ATC option the problem is about ("input_shape", "dynamic_batch_size", ...), without dashes.</summary>
        public string? Parameter { get; }
        public AtcSeverity Severity { get; }

        public AtcDiagnostic WithFix(string? fix) => new AtcDiagnostic(Code, Message, Cause, Solution, fix, Parameter, Severity);

        /// <summary>"E10035: ..." as ATC prints it.</summary>
        public override string ToString() => Code + ": " + Message;
    }

    /// <summary>Thrown by the compiler for user mistakes: carries every diagnostic found, never a stack trace to show.</summary>
    public sealed class AtcException : System.Exception
    {
        public AtcException(IEnumerable<AtcDiagnostic> diagnostics)
            : this(diagnostics.ToList()) { }

        public AtcException(AtcDiagnostic diagnostic)
            : this(new List<AtcDiagnostic> { diagnostic }) { }

        private AtcException(List<AtcDiagnostic> diagnostics)
            : base(string.Join("\n", diagnostics.Select(d => d.ToString())))
        {
            Diagnostics = diagnostics;
        }

        public IReadOnlyList<AtcDiagnostic> Diagnostics { get; }
    }
}
