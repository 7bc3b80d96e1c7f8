// Package cloudtrail reads CloudTrail logs offline and turns the activity
// they record into evidence: a least-privilege IAM policy for one
// function's (or role's) sessions, the calls it was denied, a comparison
// with the policy it has, and the per-service last use and last deployment
// that LW-IAM-11 and LW-CHG-02 read.
//
// Reading is streaming and parallel: files (S3 delivery layout, gzip or
// plain, JSON lines, LookupEvents output) are decoded one record at a time
// by a bounded pool of workers, each with its own window and aggregate, so
// memory stays flat in the size of the logs. Mapping an event to IAM
// actions follows the shared rules in package mapping.
package cloudtrail
