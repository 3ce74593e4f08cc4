namespace Atc.Cli.Run;

/// <summary>
/// Expands --input (msame/ais_bench style) into the files of each model input: one entry per input, each a file or
/// a directory of .npy/.bin files (sorted by name); for a one-input model the entries may also be several files.
/// </summary>
internal static class InputFileList
{
    /// <returns>files[input][sample]; every input has the same number of files.</returns>
    /// <param name="fail">Makes the coded ATC2200 failure for a path and a reason.</param>
    public static string[][] Expand(string input, IReadOnlyList<string> inputNames, Func<string, string, Exception> fail)
    {
        var entries = input.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string[][] files;
        if (entries.Length == inputNames.Count) files = [.. entries.Select(e => ExpandEntry(e, fail))];
        else if (inputNames.Count == 1) files = [[.. entries.SelectMany(e => ExpandEntry(e, fail))]];
        else
            throw fail(input, $"the model has {inputNames.Count} inputs ({string.Join(", ", inputNames)}) but {entries.Length} entries were given; "
                + "give one file or one directory per input, comma-separated, in input order");
        for (int k = 1; k < files.Length; k++)
            if (files[k].Length != files[0].Length)
                throw fail(input, $"input '{inputNames[0]}' has {files[0].Length} file(s) but input '{inputNames[k]}' has {files[k].Length}; "
                    + "the directories must hold one file per sample for every input");
        return files;
    }

    private static string[] ExpandEntry(string entry, Func<string, string, Exception> fail)
    {
        if (!Directory.Exists(entry)) return [entry];
        var files = Directory.GetFiles(entry)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".npy" or ".bin")
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0 ? files : throw fail(entry, "the directory holds no .npy or .bin file");
    }
}
