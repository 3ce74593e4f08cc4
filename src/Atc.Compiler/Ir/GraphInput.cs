namespace Atc.Compiler.Ir;

/// <summary>Data layout of a graph input as the user declares it (ATC's --input_format).</summary>
public enum TensorFormat { ND, NCHW, NHWC, NCDHW, NDHWC }
