using System.CommandLine;
using System.CommandLine.Help;
using Atc.Cli.Manifest;
using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Cli;

/// <summary>
/// The atc command line: ATC's options (as --name=value or --name value), `atc run`, and --help. Testable in process:
/// output goes to the writers given, nothing to the console.
/// </summary>
public static class AtcCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CompilerServices.Default);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, CompilerServices services)
    {
        // --manifest=PATH (the build integration's flag, not ATC's) is taken out before ATC's parser sees the line.
        var manifestPath = ManifestWriter.Extract(ref args);
        // Every occurrence of an option is collected (one value per occurrence) and the last one wins, as in ATC.
        var options = AtcOptionNames.All.ToDictionary(name => name, name => new Option<string[]>("--" + name)
        {
            Description = AtcOptionsHelp.Describe(name),
            HelpName = AtcOptionsHelp.HelpName(name),
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        });
        var root = new RootCommand(AtcOptionsHelp.Description);
        foreach (var option in options.Values) root.Options.Add(option);
        root.Subcommands.Add(Atc.Cli.Run.RunnerCommand.Create());
        root.SetAction(parseResult => CompileAction.Execute(ReadOptions(parseResult, options), stdout, stderr, services, manifestPath));

        // ATC values contain '@' and leading '-' at times: no response files, no bundling of short options.
        var parserConfiguration = new ParserConfiguration { EnablePosixBundling = false, ResponseFileTokenReplacer = null };
        var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args, parserConfiguration);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };

        bool isRoot = parseResult.CommandResult.Command == root;
        if (isRoot && parseResult.Action is not HelpAction && (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0))
        {
            // Every problem in one run: the command line's own, then those of the options that did parse.
            var diagnostics = ParseErrorReport.From(parseResult);
            diagnostics.AddRange(ModelCompiler.CheckCommandLine(ReadOptions(parseResult, options)));
            DiagnosticPrinter.PrintFailure(stdout, diagnostics);
            return 1;
        }
        if (parseResult.Action is HelpAction && parseResult.CommandResult.Command.Name == "run")
        {
            var help = new StringWriter();
            int code = parseResult.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
            stdout.Write(Atc.Cli.Run.RunnerHelp.Clean(help.ToString()));
            return code;
        }
        try
        {
            return parseResult.Invoke(invocation);
        }
        catch (AtcException e)
        {
            // `atc run` and any other action: user mistakes are reported like the compiler's.
            DiagnosticPrinter.PrintFailure(stdout, e.Diagnostics);
            return 1;
        }
        catch (OutOfMemoryException)
        {
            DiagnosticPrinter.PrintFailure(stdout, [AtcErrors.OutOfMemory("running the command")]);
            return 1;
        }
        catch (Exception e)
        {
            DiagnosticPrinter.PrintFailure(stdout, [AtcErrors.InternalError(e.GetType().Name + ": " + e.Message.TrimEnd('.'))]);
            return 1;
        }
    }

    private static AtcCommandOptions ReadOptions(ParseResult parseResult, Dictionary<string, Option<string[]>> options)
    {
        var raw = new AtcCommandOptions();
        foreach (var (name, option) in options)
        {
            if (parseResult.GetResult(option) is null) continue;
            var values = parseResult.GetValue(option) ?? [];
            raw.Set(name, Unquote(values.Length == 0 ? "" : values[^1]));
        }
        return raw;
    }

    /// <summary>Quotes that reach us (no shell in between, e.g. from a build tool) are not part of the value.</summary>
    private static string Unquote(string value)
    {
        var v = value.Trim();
        return v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : value;
    }
}
