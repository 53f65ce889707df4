namespace Journeys.Channels;
