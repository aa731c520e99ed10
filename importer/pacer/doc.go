// Package pacer paces requests to an API that publishes no rate limit: a
// shared rate.Limiter whose rate backs off on "slow down" answers and climbs
// back toward the user's ceiling, a pause that every worker honours after a
// Retry-After, and jittered exponential backoff between retries.
package pacer
