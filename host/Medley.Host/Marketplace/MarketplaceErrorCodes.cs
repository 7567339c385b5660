namespace Medley.Host.Marketplace;

/// <summary>Stable error codes of <c>medley plugin search|install|update|remove|list|verify</c> (see docs/errors.md).</summary>
internal static class MarketplaceErrorCodes
{
    public const string ConfigInvalid = "plugin.config.invalid";
    public const string NoSources = "plugin.source.none";
    public const string SourceUnreachable = "plugin.source.unreachable";
    public const string PackageNotFound = "plugin.install.not-found";
    public const string AlreadyInstalled = "plugin.install.already-installed";
    public const string HashMismatch = "plugin.install.hash-mismatch";
    public const string Unsigned = "plugin.install.unsigned";
    public const string SignatureInvalid = "plugin.install.signature-invalid";
    public const string NotAPlugin = "plugin.install.not-a-plugin";
    public const string UnsafeEntry = "plugin.install.unsafe-entry";
    public const string PackageUnreadable = "plugin.install.package-unreadable";
    public const string IdentityMismatch = "plugin.install.identity-mismatch";
    public const string SdkIncompatible = "plugin.install.sdk-incompatible";
    public const string PlatformUnsupported = "plugin.install.platform-unsupported";
    public const string NoCompatibleVersion = "plugin.install.no-compatible-version";
    public const string DigestMismatch = "plugin.install.digest-mismatch";
    public const string NotInstalled = "plugin.not-installed";
    public const string LockInvalid = "plugin.lock.invalid";
    public const string LockMismatch = "plugin.lock.mismatch";
}
