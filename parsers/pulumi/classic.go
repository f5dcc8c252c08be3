package pulumi

import (
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// classic maps a classic azure provider function app; nil for other
// resources.
func (l *loader) classic(x *res) *site { return nil }

// classicStorage maps a classic azure:storage:Account; nil for other
// resources.
func (l *loader) classicStorage(x *res) *model.StorageAccount { return nil }
