namespace Atc.Options
{
    /// <summary>ATC's --mode values this compiler implements.</summary>
    public enum AtcMode
    {
        /// <summary>Convert the model to an .om.</summary>
        Convert = 0,
        /// <summary>Write an .om (or a model, with --framework) as JSON.</summary>
        ToJson = 1,
        /// <summary>Check the options and the model only; write nothing.</summary>
        PreCheck = 3,
    }

    /// <summary>ATC's --log levels, from most to least verbose.</summary>
    public enum AtcLogLevel
    {
        Debug,
        Info,
        Warning,
        Error,
        /// <summary>No log output (ATC's default).</summary>
        Null,
    }

    /// <summary>ATC's --input_format values (the same names as the compiler's TensorFormat).</summary>
    public enum AtcInputFormat
    {
        ND,
        NCHW,
        NHWC,
        NCDHW,
        NDHWC,
    }
}
