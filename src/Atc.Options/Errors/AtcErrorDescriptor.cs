using System.Globalization;

namespace Atc.Options.Errors
{
    /// <summary>Where a code and its texts come from.</summary>
    public enum AtcErrorOrigin
    {
        /// <summary>ATC's own code, message, possible cause and solution (its error catalog), verbatim.</summary>
        Atc,
        /// <summary>A code of this project (prefix "ATC", which ATC does not use), for cases ATC has no code for.</summary>
        Project,
    }

    /// <summary>
    /// One entry of the error catalog: the code, the message template ({0}, {1}... in ATC's argument order), the
    /// possible cause and the solution (null where ATC says "N/A"), and the anchor of its help page.
    /// </summary>
    public sealed class AtcErrorDescriptor
    {
        public AtcErrorDescriptor(string code, string title, string messageTemplate, string? possibleCause,
            string? solution, AtcErrorOrigin origin = AtcErrorOrigin.Atc, AtcSeverity severity = AtcSeverity.Error)
        {
            Code = code;
            Title = title;
            MessageTemplate = messageTemplate;
            PossibleCause = possibleCause;
            Solution = solution;
            Origin = origin;
            Severity = severity;
        }

        public string Code { get; }
        /// <summary>ATC's error class title, e.g. "Invalid_Argument_Tensor_Dynamic_Shape".</summary>
        public string Title { get; }
        public string MessageTemplate { get; }
        public string? PossibleCause { get; }
        public string? Solution { get; }
        public AtcErrorOrigin Origin { get; }
        public AtcSeverity Severity { get; }

        /// <summary>Anchor of this code on the error reference page, e.g. "e10035".</summary>
        public string HelpAnchor => Code.ToLowerInvariant();

        /// <summary>Link used by analyzers (helpLinkUri) and printed in docs: the error page plus the anchor.</summary>
        public string HelpLink => AtcErrorCatalog.HelpPage + "#" + HelpAnchor;

        public string FormatMessage(params object[] args)
            => args.Length == 0 ? MessageTemplate : string.Format(CultureInfo.InvariantCulture, MessageTemplate, args);

        /// <summary>A diagnostic of this kind with its message arguments, the ATC option it is about and a fix.</summary>
        public AtcDiagnostic Create(string? parameter, string? fix, params object[] args)
            => new AtcDiagnostic(Code, FormatMessage(args), Format(PossibleCause, args), Format(Solution, args), fix,
                parameter, Severity);

        // Causes and solutions are fixed texts in ATC; this project's own may name the arguments too.
        private static string? Format(string? template, object[] args)
            => template is null || args.Length == 0 || template.IndexOf('{') < 0
                ? template
                : string.Format(CultureInfo.InvariantCulture, template, args);

        public override string ToString() => Code + " " + Title;
    }
}
