#:project ../../../tests/Atc.TestModels/Atc.TestModels.csproj
// Writes Models/tiny_cnn.onnx: the test suite's small CNN (3x32x32 image → 10 class scores; seeded random weights,
// not trained). Run from samples/AippImage: dotnet run Tools/WriteModel.cs
File.WriteAllBytes(args.Length > 0 ? args[0] : "Models/tiny_cnn.onnx", Atc.TestModels.Onnx.OnnxModels.TinyCnn());
