package fake

import "github.com/leadstatus/leadstatus/importer/nutshell"

// Outcomes returns the seeded lead outcomes: 1 Won, 2 Lost, 3 Cancelled,
// 4 No Decision (a loss) and 5 Won - Expansion.
func Outcomes() []nutshell.Outcome {
	return []nutshell.Outcome{
		{ID: "1-outcomes", Name: "Won", Status: "won", Type: "won"},
		{ID: "2-outcomes", Name: "Lost", Status: "lost", Type: "lost"},
		{ID: "3-outcomes", Name: "Cancelled", Status: "cancelled", Type: "cancelled"},
		{ID: "4-outcomes", Name: "No Decision", Status: "lost", Type: "lost"},
		{ID: "5-outcomes", Name: "Won - Expansion", Status: "won", Type: "won"},
	}
}

// Products returns the seeded product catalogue.
func Products() []nutshell.Product {
	return []nutshell.Product{
		{ID: "1-products", Name: "Pro Plan"},
		{ID: "2-products", Name: "Starter Plan"},
		{ID: "3-products", Name: "Enterprise Plan"},
		{ID: "4-products", Name: "Onboarding"},
		{ID: "5-products", Name: "Support Hours"},
	}
}

// Competitors returns the seeded competitors.
func Competitors() []nutshell.Competitor {
	return []nutshell.Competitor{
		{ID: "1-competitors", Name: "Acme Corp"},
		{ID: "2-competitors", Name: "Globex"},
		{ID: "3-competitors", Name: "Initech"},
		{ID: "4-competitors", Name: "Umbrella"},
	}
}

// competitorMap is seeded competitor map m (m ≥ 1). Every lead i has two:
// (2i-1)-competitorMaps with competitor 1+(i%4) and (2i)-competitorMaps with
// competitor 1+((i+1)%4), both named after their competitor and with status
// "potential".
func competitorMap(m int64) nutshell.CompetitorMap {
	lead := (m + 1) / 2
	c := 1 + lead%4
	if m%2 == 0 {
		c = 1 + (lead+1)%4
	}
	comp := Competitors()[c-1]
	return nutshell.CompetitorMap{
		ID:     formatID(m, entityCompetitorMaps),
		Name:   comp.Name,
		Status: "potential",
		Links: nutshell.CompetitorMapLinks{
			Lead:       formatID(lead, entityLeads),
			Competitor: comp.ID,
		},
	}
}
