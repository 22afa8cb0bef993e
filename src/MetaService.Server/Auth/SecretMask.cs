using MetaService.Core.Functions;

namespace MetaService.Server.Auth;

/// <summary>What a viewer is shown of a function: every environment value and the rootfs storage keys replaced by
/// <see cref="Mask"/> (the names stay, so a viewer sees which are set). Only answers are masked: the stored record and
/// the platform keys keep the values, which the platform needs. (The S3 <c>token</c> is in no answer.)</summary>
public static class SecretMask
{
    public const string Mask = "******";

    public static FunctionView Apply(FunctionView view) => view with
    {
        Environment = view.Environment.ToDictionary(e => e.Key, _ => Mask),
        Rootfs = view.Rootfs with
        {
            StorageInfo = view.Rootfs.StorageInfo with
            {
                AccessKey = Hide(view.Rootfs.StorageInfo.AccessKey),
                SecretKey = Hide(view.Rootfs.StorageInfo.SecretKey),
            },
        },
    };

    private static string Hide(string value) => value.Length == 0 ? value : Mask;
}