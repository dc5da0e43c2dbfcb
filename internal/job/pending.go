package job

import (
	"errors"

	"gevinstrapport/internal/register"
)

func (w *Worker) buildSteering(x *register.Index, req Request) (built, error) {
	return built{}, errors.New("steering report: in progress")
}

func (w *Worker) buildAnnual(x *register.Index, req Request) (built, error) {
	return built{}, errors.New("annual report: in progress")
}
