namespace Atc.Options.ItemRules
{
    /// <summary>A rule violation and the item attribute (metadata name) it is about, which is where it is reported.</summary>
    public sealed class OptionProblem
    {
        public OptionProblem(AtcDiagnostic diagnostic, string? attribute)
        {
            Diagnostic = diagnostic;
            Attribute = attribute;
        }

        public AtcDiagnostic Diagnostic { get; }
        /// <summary>"DynamicBatchSize", "InputShape", ...; null when the problem is about the item as a whole.</summary>
        public string? Attribute { get; }

        /// <summary>The message as the build prints it after the code: ATC's text, its solution and this project's fix.</summary>
        public string FullMessage => FormatMessage(Diagnostic);

        public static string FormatMessage(AtcDiagnostic diagnostic)
        {
            var text = diagnostic.Message;
            if (!string.IsNullOrEmpty(diagnostic.Solution)) text += " Solution: " + diagnostic.Solution;
            if (!string.IsNullOrEmpty(diagnostic.Fix)) text += " Fix: " + diagnostic.Fix;
            return text;
        }
    }
}
