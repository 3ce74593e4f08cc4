using System.Collections.Generic;

namespace Atc.Options.Deployment
{
    /// <summary>What a precision mode does on Atc's CPU target: the type conv/GEMM weights are rounded to and stored in.</summary>
    public enum WeightPrecision
    {
        /// <summary>Everything stays float32.</summary>
        Float32,
        /// <summary>Conv/GEMM weights rounded to float16 and stored as float16; float32 activations and accumulation.</summary>
        Float16,
        /// <summary>Conv/GEMM weights rounded to bfloat16 and stored as bfloat16; float32 activations and accumulation.</summary>
        BFloat16,
        /// <summary>A type the target does not have (HiFloat8): kept float32 with warning ATC3003.</summary>
        Unavailable,
    }

    /// <summary>
    /// ATC's --precision_mode and --precision_mode_v2 values mapped to <see cref="WeightPrecision"/>. ATC lowers
    /// cube (conv/matmul) ops first in every mixed mode; here the mixed and the forced modes lower the same ops
    /// (Conv, ConvTranspose, Gemm, MatMul weights), since element-wise ops stay float32 anyway.
    /// </summary>
    public static class PrecisionModes
    {
        private static readonly Dictionary<string, WeightPrecision> ByValue = new Dictionary<string, WeightPrecision>
        {
            ["force_fp32"] = WeightPrecision.Float32,
            ["must_keep_origin_dtype"] = WeightPrecision.Float32,
            ["origin"] = WeightPrecision.Float32,
            ["cube_fp16in_fp32out"] = WeightPrecision.Float16,
            ["force_fp16"] = WeightPrecision.Float16,
            ["allow_fp32_to_fp16"] = WeightPrecision.Float16,
            ["allow_mix_precision"] = WeightPrecision.Float16,
            ["allow_mix_precision_fp16"] = WeightPrecision.Float16,
            ["fp16"] = WeightPrecision.Float16,
            ["mixed_float16"] = WeightPrecision.Float16,
            ["allow_fp32_to_bf16"] = WeightPrecision.BFloat16,
            ["allow_mix_precision_bf16"] = WeightPrecision.BFloat16,
            ["mixed_bfloat16"] = WeightPrecision.BFloat16,
            ["cube_hif8"] = WeightPrecision.Unavailable,
            ["mixed_hif8"] = WeightPrecision.Unavailable,
        };

        /// <summary>The weight precision of a mode value; null (not given) is float32.</summary>
        public static WeightPrecision Of(string? value)
            => value != null && ByValue.TryGetValue(value, out var p) ? p : WeightPrecision.Float32;
    }
}
