global using ByteLevelFixture = Medley.Tokenization.Tests.ByteLevelFixture;
