using Atc.Options;
using Atc.Options.Aipp;
using Atc.Options.Errors;

namespace Atc.Compiler.Aipp;

/// <summary>Reads the file of --insert_op_conf: a missing or unreadable file is E13000/E13001, its contents are parsed
/// and checked by <see cref="AippConfig.Parse"/>.</summary>
public static class AippConfigFile
{
    public static AippConfig Load(string path)
    {
        if (!File.Exists(path)) throw new AtcException(AtcErrors.FileNotFound(path, AtcOptionNames.InsertOpConf));
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > AippConfig.MaxFileChars * 4L)
                throw new AtcException(AtcAippErrorCatalog.ATC3100.Create(AtcOptionNames.InsertOpConf, null, path, 1, 1,
                    "the file has " + info.Length + " bytes, more than an AIPP configuration can have"));
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AtcException(AtcErrors.ReadFailed(path, AtcOptionNames.InsertOpConf, e.Message.TrimEnd('.')));
        }
        return AippConfig.Parse(text, path);
    }
}
