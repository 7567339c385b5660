using Medley.Cli;

return await MedleyCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
