using Atc.Options;
using Atc.Options.Manifest;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>Manifests of small models in each gear kind, as the compiler would write them.</summary>
public static class Manifests
{
    /// <summary>Models/tiny.pb: Placeholder [-1,4] → probs [-1,2], DynamicBatchSize="1,2,4,8".</summary>
    public static ModelManifest TinyBatch(params int[] gears)
    {
        if (gears.Length == 0) gears = [1, 2, 4, 8];
        return new ModelManifest("tiny", "Ascend310", GearKind.Batch,
            [new ManifestTensor("Placeholder", "float32", [-1, 4])],
            [new ManifestTensor("probs", "float32", [-1, 2])],
            gears.Select(b => new ManifestGear([b], [new ManifestShape("Placeholder", [b, 4])], [new ManifestShape("probs", [b, 2])], 64L * b)).ToList(),
            [],
            [new ManifestTensor("Placeholder", "float32", [-1, 4])],
            40);
    }

    /// <summary>An NHWC image model with DynamicImageSize="448,448;224,224".</summary>
    public static ModelManifest ImageGears() => new("net", "Ascend310", GearKind.ImageSize,
        [new ManifestTensor("image", "float32", [1, -1, -1, 3])],
        [new ManifestTensor("logits:0", "float32", [1, 10])],
        [
            new ManifestGear([448, 448], [new ManifestShape("image", [1, 448, 448, 3])], [new ManifestShape("logits:0", [1, 10])], 2_408_448),
            new ManifestGear([224, 224], [new ManifestShape("image", [1, 224, 224, 3])], [new ManifestShape("logits:0", [1, 10])], 602_112),
        ],
        [],
        [new ManifestTensor("image", "float32", [-1, -1, -1, 3])],
        1_000_000);

    /// <summary>A static model with two inputs, one named like a C# keyword.</summary>
    public static ModelManifest StaticTwoInputs() => new("pair", "Ascend910", GearKind.Static,
        [new ManifestTensor("class", "float32", [1, 3]), new ManifestTensor("ids", "int64", [1, 3])],
        [new ManifestTensor("dense/BiasAdd", "float32", [1, 3])],
        [new ManifestGear([], [new ManifestShape("class", [1, 3]), new ManifestShape("ids", [1, 3])], [new ManifestShape("dense/BiasAdd", [1, 3])], 48)],
        [],
        [new ManifestTensor("class", "float32", [1, 3]), new ManifestTensor("ids", "int64", [1, 3])],
        12);

    /// <summary>A range profile: x [1~10, 4].</summary>
    public static ModelManifest Range() => new("ranged", "Ascend910", GearKind.Range,
        [new ManifestTensor("x", "float32", [-1, 4])],
        [new ManifestTensor("y", "float32", [-1, 2])],
        [
            new ManifestGear([1], [new ManifestShape("x", [1, 4])], [new ManifestShape("y", [1, 2])], 32),
            new ManifestGear([10], [new ManifestShape("x", [10, 4])], [new ManifestShape("y", [10, 2])], 320),
        ],
        [new ManifestRange("x", [1, 4], [10, 4])],
        [new ManifestTensor("x", "float32", [-1, 4])],
        40);

    public static ModelItem Item(ModelManifest manifest, string modelPath, IDictionary<string, string>? metadata = null) =>
        new("/proj/obj/atc/" + Path.GetFileNameWithoutExtension(modelPath) + ".atcmanifest", manifest.ToText(), modelPath,
            new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["ResourceName"] = "AscendModels/" + modelPath.Replace(Path.GetExtension(modelPath), "") + ".om" });
}
