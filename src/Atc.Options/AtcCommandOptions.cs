using System;
using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options
{
    /// <summary>
    /// ATC's command line as given: every option a raw string, null when absent ("" when given empty). The CLI, the
    /// MSBuild task and the analyzers fill it; <see cref="AtcCommandRules"/> validates it.
    /// </summary>
    public sealed class AtcCommandOptions
    {
        public string? Model { get; set; }
        /// <summary>0 Caffe, 1 MindSpore, 3 TensorFlow, 5 ONNX.</summary>
        public string? Framework { get; set; }
        /// <summary>Output path without extension; ".om" is appended.</summary>
        public string? Output { get; set; }
        /// <summary>ATC's target chip. Recorded in the .om; this compiler always generates for its portable CPU runtime.</summary>
        public string? SocVersion { get; set; }
        public string? InputShape { get; set; }
        public string? InputFormat { get; set; }
        public string? DynamicBatchSize { get; set; }
        public string? DynamicImageSize { get; set; }
        public string? DynamicDims { get; set; }
        public string? InputShapeRange { get; set; }
        public string? OutNodes { get; set; }
        /// <summary>0 convert (default), 1 model to JSON, 3 pre-check only.</summary>
        public string? Mode { get; set; }
        /// <summary>debug, info, warning, error, null.</summary>
        public string? Log { get; set; }
        /// <summary>--mode=1: the model to dump.</summary>
        public string? Om { get; set; }
        /// <summary>--mode=1: the JSON file to write.</summary>
        public string? Json { get; set; }
        /// <summary>The arena limit per gear in MB (0 = none); absent: a quarter of the memory available to the compiler.</summary>
        public string? ArenaLimitMb { get; set; }
        /// <summary>The AIPP configuration file (ATC's --insert_op_conf).</summary>
        public string? InsertOpConf { get; set; }

        /// <summary>Every other option of <see cref="AtcOptionCatalog"/> that was given (precision, fusion switches,
        /// ignored NPU options, ...), by name; read through <see cref="Get"/>.</summary>
        public IDictionary<string, string?> Others { get; } = new SortedDictionary<string, string?>(StringComparer.Ordinal);

        /// <summary>The raw value of an option by its ATC name (without dashes); null for an unknown name.</summary>
        public string? Get(string name)
        {
            switch (name)
            {
                case AtcOptionNames.Model: return Model;
                case AtcOptionNames.Framework: return Framework;
                case AtcOptionNames.Output: return Output;
                case AtcOptionNames.SocVersion: return SocVersion;
                case AtcOptionNames.InputShape: return InputShape;
                case AtcOptionNames.InputFormat: return InputFormat;
                case AtcOptionNames.DynamicBatchSize: return DynamicBatchSize;
                case AtcOptionNames.DynamicImageSize: return DynamicImageSize;
                case AtcOptionNames.DynamicDims: return DynamicDims;
                case AtcOptionNames.InputShapeRange: return InputShapeRange;
                case AtcOptionNames.OutNodes: return OutNodes;
                case AtcOptionNames.Mode: return Mode;
                case AtcOptionNames.Log: return Log;
                case AtcOptionNames.Om: return Om;
                case AtcOptionNames.Json: return Json;
                case AtcOptionNames.ArenaLimitMb: return ArenaLimitMb;
                case AtcOptionNames.InsertOpConf: return InsertOpConf;
                default: return Others.TryGetValue(name, out var value) ? value : null;
            }
        }

        /// <summary>Sets an option by its ATC name; returns false for a name ATC's command line here does not have.</summary>
        public bool Set(string name, string? value)
        {
            switch (name)
            {
                case AtcOptionNames.Model: Model = value; return true;
                case AtcOptionNames.Framework: Framework = value; return true;
                case AtcOptionNames.Output: Output = value; return true;
                case AtcOptionNames.SocVersion: SocVersion = value; return true;
                case AtcOptionNames.InputShape: InputShape = value; return true;
                case AtcOptionNames.InputFormat: InputFormat = value; return true;
                case AtcOptionNames.DynamicBatchSize: DynamicBatchSize = value; return true;
                case AtcOptionNames.DynamicImageSize: DynamicImageSize = value; return true;
                case AtcOptionNames.DynamicDims: DynamicDims = value; return true;
                case AtcOptionNames.InputShapeRange: InputShapeRange = value; return true;
                case AtcOptionNames.OutNodes: OutNodes = value; return true;
                case AtcOptionNames.Mode: Mode = value; return true;
                case AtcOptionNames.Log: Log = value; return true;
                case AtcOptionNames.Om: Om = value; return true;
                case AtcOptionNames.Json: Json = value; return true;
                case AtcOptionNames.ArenaLimitMb: ArenaLimitMb = value; return true;
                case AtcOptionNames.InsertOpConf: InsertOpConf = value; return true;
                default:
                    if (AtcOptionCatalog.Find(name) is null) return false;
                    Others[name] = value;
                    return true;
            }
        }

        /// <summary>True when the option was given with a non-blank value.</summary>
        public bool Has(string name) => !string.IsNullOrWhiteSpace(Get(name));
    }
}
