using System.CommandLine;
using System.CommandLine.Parsing;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Cli;

/// <summary>System.CommandLine's parse errors as ATC diagnostics (E10053), with "did you mean" for unknown options.</summary>
internal static class ParseErrorReport
{
    public static List<AtcDiagnostic> From(ParseResult result)
    {
        var diagnostics = new List<AtcDiagnostic>();
        foreach (var token in result.UnmatchedTokens)
            diagnostics.Add(Unmatched(token));
        foreach (var error in result.Errors)
        {
            if (error.SymbolResult is OptionResult option)
                diagnostics.Add(AtcErrors.CommandLineError(error.Message.TrimEnd('.'),
                    "Give --" + option.Option.Name.TrimStart('-') + " once, as --" + option.Option.Name.TrimStart('-') + "=value.",
                    option.Option.Name.TrimStart('-')));
            else if (result.UnmatchedTokens.Count == 0)
                diagnostics.Add(AtcErrors.CommandLineError(error.Message.TrimEnd('.')));
        }
        return diagnostics;
    }

    private static AtcDiagnostic Unmatched(string token)
    {
        if (!token.StartsWith('-'))
            return AtcErrors.CommandLineError("unexpected argument [" + token + "]",
                "Give every value with its option, as --name=value (quote values that contain ';').");
        var name = token.TrimStart('-');
        int equals = name.IndexOfAny(['=', ':']);
        if (equals >= 0) name = name[..equals];
        var near = NameSuggestions.Closest(name, AtcOptionNames.All);
        return AtcErrors.CommandLineError("unknown option [--" + name + "]",
            (near != null ? "Did you mean --" + near + "? " : "") + "Run atc --help for the options this compiler supports.");
    }
}
