namespace PaperFeed.Tests;
