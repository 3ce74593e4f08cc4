namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Lowers one TensorFlow node: reads its operands from the context, emits canonical IR, binds its outputs.</summary>
internal delegate void TfLowering(TfLoweringContext context, TfNode node);
